package dev.litenet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's PyTorch and torchvision ({@code /usr/bin/python3}, packages python3-torch and python3-torchvision) for
 * tests that need a file made by torchvision itself. Missing on a developer's machine: the test is skipped with the
 * reason. Missing in CI ({@code CI=true}): the test fails.
 */
public final class Torch {
    private Torch() {}

    static final String PYTHON = "/usr/bin/python3";

    /** Runs a script of the repo's {@code tools/} with these arguments; returns its standard output. */
    public static String run(String tool, String... args) throws IOException, InterruptedException {
        requireTorch();
        List<String> command = new ArrayList<>(List.of(PYTHON, repo().resolve("tools").resolve(tool).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(tool + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void requireTorch() throws IOException, InterruptedException {
        boolean ok;
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, torchvision").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        }
        if (!ok) {
            String why = PYTHON + " cannot import torch and torchvision (apt-get install python3-torch python3-torchvision)";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(why);
            assumeTrue(false, why);
        }
    }

    /** The repo's root: {@code LITENET_REPO} (set by the build), else the parent of the module being tested. */
    static Path repo() {
        String env = System.getenv("LITENET_REPO");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.dir")).getParent();
    }
}
