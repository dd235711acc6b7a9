package dev.litenet.models;

import com.sun.net.httpserver.HttpServer;
import dev.litenet.WeightsUnavailableException;
import dev.litenet.Torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * torchvision's published checkpoints, as far as they can be tried here (download.pytorch.org cannot be reached):
 * for every known torchvision entry of an architecture LiteNet builds, a state dict of the same keys and shapes made
 * by Debian's torchvision is served on loopback under the entry's own file name. Looked up by name, it is refused
 * (its sha256 is not the published one) and leaves nothing behind; served under a name carrying its own hash prefix,
 * as torch.hub names files, it is downloaded, checked and moved into the cache, and it loads into the entry's
 * architecture, recognized from its keys and shapes, with the entry's parameter count.
 */
class TorchvisionWeightsTest {
    @TempDir static Path tmp;
    static Path made;
    static HttpServer server;

    static List<WeightsInfo> entries() {
        return KnownWeights.all().stream().filter(w -> w.format() == WeightsFormat.PTH)
                .filter(w -> Architectures.find(w.architecture()).isPresent()).toList();
    }

    @BeforeAll static void makeAndServe() throws Exception {
        made = tmp.resolve("made");
        List<String> args = new ArrayList<>(List.of(made.toString()));
        entries().stream().map(WeightsInfo::architecture).distinct().forEach(args::add);
        Torch.run("make_torchvision_state_dicts.py", args.toArray(String[]::new));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String arch = ex.getRequestURI().getPath().replaceAll(".*/", "").replaceAll("[-.].*", "");
            Path file = made.resolve(arch + ".pth");
            if (!Files.exists(file)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = ex.getResponseBody()) {
                Files.copy(file, out);
            }
        });
        server.start();
    }

    @AfterAll static void stop() {
        if (server != null) server.stop(0);
    }

    /** The entry as served here: at /ARCH-&lt;prefix&gt;.pth, from the loopback server. */
    static WeightsInfo served(WeightsInfo w, String fileName) {
        return new WeightsInfo(w.name(), w.architecture(), w.widthMult(),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + fileName), null,
                WeightsInfo.torchHubHashPrefix(fileName), fileName, w.format(), -1, w.numClasses(), w.numParams(),
                w.preprocessing(), w.labels(), w.metrics());
    }

    @ParameterizedTest(name = "{0}") @MethodSource("entries")
    void downloadedCheckedAndLoaded(WeightsInfo entry) throws IOException {
        assertThat(KnownWeights.find(entry.name())).containsSame(entry);
        String arch = entry.architecture();
        WeightsCache cache = new WeightsCache(tmp.resolve("cache-" + entry.name()), null, WeightsCache.defaultClient());

        // under the published name and hash: this file is not the published one, so it is refused and nothing stays
        WeightsInfo published = served(entry, arch + "-" + entry.sha256Prefix() + ".pth");
        assertThatThrownBy(() -> cache.fetch(published, WeightsCache.Progress.NONE)).isInstanceOf(WeightsUnavailableException.class)
                .hasMessageContaining("checksum mismatch").hasMessageContaining(entry.sha256Prefix());
        try (Stream<Path> left = Files.list(cache.dir())) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }

        // under a name that carries its own hash prefix, as torch.hub names files
        String own = WeightsCache.sha256Hex(made.resolve(arch + ".pth")).substring(0, 10);
        Path file = cache.fetch(served(entry, arch + "-" + own + ".pth"), WeightsCache.Progress.NONE);
        assertThat(file).isEqualTo(cache.dir().resolve(arch + "-" + own + ".pth"));
        Model model = Pretrained.load(file);
        assertThat(model.architecture()).isEqualTo(arch);
        assertThat(model.network().numParameters()).isEqualTo(entry.numParams());
        assertThat(model.labels()).hasSize(1000);
        assertThat(Map.of("classes", model.network().numClasses())).containsEntry("classes", entry.numClasses());
    }
}
