package dev.streamlearn.tools;

import dev.streamlearn.Streamlearn;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * How every tool runs its picocli command: misuse of the command line, and an
 * {@link IllegalArgumentException} or {@link java.io.IOException} from the tool, end in one line
 * {@code <tool>: <what is wrong>} and exit status 2.
 */
public final class Tool {

    private Tool() {}

    /** Runs the command, printing to the given streams (a command prints through its {@code CommandSpec}); returns its exit status. */
    public static int run(Object command, String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
        versionEverywhere(cli);
        String name = cli.getCommandName().replaceFirst(".*/", "");
        cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, java.nio.charset.StandardCharsets.UTF_8), true));
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException) {
                err.println(name + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println(name + ": " + e.getMessage() + " (see --help)");
            return 2;
        });
        return cli.execute(args);
    }

    /** Every command's --version (and its subcommands') prints the project's. */
    private static void versionEverywhere(CommandLine cli) {
        cli.getCommandSpec().versionProvider(() -> new String[] {"streamlearn " + Streamlearn.VERSION});
        cli.getSubcommands().values().forEach(Tool::versionEverywhere);
    }

    /** Runs the command and exits with its status: for {@code main} only. */
    static void exit(Object command, String[] args) {
        System.exit(run(command, args, System.out, System.err));
    }
}
