package io.ecompipeline;

import io.ecompipeline.cli.CheckConfigCommand;
import io.ecompipeline.cli.GenerateCommand;
import io.ecompipeline.cli.MigrateCommand;
import io.ecompipeline.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar ecom-pipeline.jar [run|generate|check-config|migrate] [options]}: runs the pipeline (default), publishes
 * synthetic events, validates the configuration, or applies the database migrations. A wrong option or value is one
 * clear line, never a stack trace.
 */
@Command(name = "ecom-pipeline", mixinStandardHelpOptions = true, versionProvider = Application.Version.class,
        subcommands = {RunCommand.class, GenerateCommand.class, CheckConfigCommand.class, MigrateCommand.class},
        description = "E-commerce events from Kafka, validated, into PostgreSQL; dead letters, SQL warehouse, Elasticsearch.")
public final class Application implements java.util.concurrent.Callable<Integer> {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Application());
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        return cli;
    }

    /** No command: run the pipeline, as {@code java -jar ecom-pipeline.jar} always did. */
    @Override
    public Integer call() throws Exception {
        return new RunCommand().call();
    }

    /** The version from the jar manifest (unknown when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Application.class.getPackage().getImplementationVersion();
            return new String[] {"ecom-pipeline " + (v == null ? "(development build)" : v)};
        }
    }
}
