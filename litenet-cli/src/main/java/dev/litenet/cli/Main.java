package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.WeightsUnavailableException;
import dev.litenet.io.Budget;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code litenet} command: one subcommand per job. Exit codes: 0 ok, 1 failure, 2 bad input, 3 weights
 * unavailable (a download that could not connect or complete: retry with a network, or work offline).
 */
@Command(name = Main.NAME, mixinStandardHelpOptions = true, version = Main.VERSION, description = Main.DESCRIPTION,
        subcommands = {CommandLine.HelpCommand.class, SummaryCommand.class, TrainCommand.class, EvalCommand.class,
                PredictCommand.class, ExplainCommand.class, CvCommand.class, ServeCommand.class, ForwardCommand.class, ExportCommand.class, CompareCommand.class, BenchCommand.class})
public final class Main {
    public static final int OK = 0, FAILURE = 1, BAD_INPUT = 2, WEIGHTS_UNAVAILABLE = 3;
    static final String NAME = "litenet", VERSION = "LiteNet 0.1.0",
            DESCRIPTION = "Lightweight neural networks for the JVM: MobileNetV2, summaries, transfer learning.";

    /** A file name or label as printed: control characters (newlines, terminal escapes) shown as {@code \\uXXXX}. */
    static String shown(Object nameOrLabel) { return BadInputException.printable(String.valueOf(nameOrLabel)); }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** A command's exception as one line on {@code err}; returns the exit code it means. */
    static int failed(Exception e, PrintWriter err) {
        if (e instanceof BadInputException) {
            err.println("litenet: " + e.getMessage());
            return BAD_INPUT;
        }
        if (e instanceof WeightsUnavailableException) {
            err.println("litenet: weights unavailable: " + e.getMessage());
            return WEIGHTS_UNAVAILABLE;
        }
        err.println("litenet: failed: " + e);
        if (System.getenv("LITENET_DEBUG") != null) e.printStackTrace(err);
        return FAILURE;
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(args);
        cli.setOut(out).setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(e -> e instanceof BadInputException ? BAD_INPUT : e instanceof WeightsUnavailableException ? WEIGHTS_UNAVAILABLE : FAILURE);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("litenet: " + e.getMessage());
            if (e instanceof CommandLine.UnmatchedArgumentException u) CommandLine.UnmatchedArgumentException.printSuggestions(u, err);
            err.println("see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, err));
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println(outOfMemory(args.length > 0 ? args[0] : "", e));
            return FAILURE;
        }
    }

    /** The root of {@code litenet} without subcommands, for {@link #commandLine}: the same name, options and text as Main. */
    @Command(name = NAME, mixinStandardHelpOptions = true, version = VERSION, description = DESCRIPTION)
    static final class Root {}

    /**
     * The command line for these arguments. When the first one names a subcommand, the root gets only that one:
     * picocli reads every option of every command it is given by reflection, about a tenth of a second of a
     * one-shot {@code predict} for the nine commands it does not run. Otherwise (help, --version, a typo that
     * needs suggestions) the root with every subcommand.
     */
    static CommandLine commandLine(String... args) {
        if (args.length > 0 && !args[0].equals("help")) {
            for (Class<?> sub : Main.class.getAnnotation(Command.class).subcommands()) {
                Command c = sub.getAnnotation(Command.class);
                if (c != null && c.name().equals(args[0])) return new CommandLine(new Root()).addSubcommand(sub);
            }
        }
        return new CommandLine(new Main());
    }

    /** What ran out of memory (the file being read, when known) and what to change for this command. */
    static String outOfMemory(String command, OutOfMemoryError e) {
        String what = e.getMessage() != null && e.getMessage().startsWith(Budget.WHILE_READING) ? " " + e.getMessage() : "";
        String option = switch (command) {
            case "train", "eval", "predict", "bench", "compare" -> "use a smaller --batch-size, or ";
            case "forward" -> "give --shape a smaller N, or ";
            default -> "";
        };
        return "litenet " + command + ": out of memory" + what + " (Java heap limit " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MB): " + option + "give the JVM more, e.g. LITENET_JAVA_OPTS=-Xmx4g";
    }
}
