package dev.litenet;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * module-info of litenet-core (the tests themselves run on the class path): the Vector API is optional, and every
 * package is exported, so a user on the module path sees what a user on the class path sees.
 */
class ModuleDescriptorTest {
    static ModuleDescriptor descriptor() throws URISyntaxException {
        Path classes = Path.of(BadInputException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(classes).find("dev.litenet").orElseThrow().descriptor();
    }

    @Test
    void vectorApiIsOptional() throws URISyntaxException {
        assertThat(descriptor().requires()).filteredOn(r -> r.name().equals("jdk.incubator.vector"))
                .singleElement().satisfies(r -> assertThat(r.modifiers()).containsExactly(ModuleDescriptor.Requires.Modifier.STATIC));
    }

    @Test
    void everyPackageIsExported() throws URISyntaxException {
        ModuleDescriptor d = descriptor();
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exported).isEqualTo(d.packages()).contains("dev.litenet", "dev.litenet.tensor");
    }
}
