package io.ecompipeline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.ecompipeline.api.ApiUsersFiles;
import io.ecompipeline.api.HttpServerFactory;
import io.ecompipeline.config.Credentials;
import io.ecompipeline.config.SettingException;
import io.ecompipeline.contract.ContractException;
import io.ecompipeline.wiring.Wiring;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;

/** {@code ecom-pipeline run} (the default): starts the pipeline on camel-main until it is stopped (SIGTERM). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the pipeline (the default when no command is given). Settings come from the environment; "
                + "see README.md or `check-config`.")
public final class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Main main = new Main();
        try {
            Wiring.addTo(main.configure());
            // REST and management servers authenticate against the user of the environment, kept in memory; camel-main
            // creates the servers before it binds the configuration classes, so the factory is bound here. Bad
            // credentials are reported with every other bad setting by the first configuration class.
            Credentials credentials = null;
            try {
                credentials = Credentials.fromEnvironment(System.getenv());
            } catch (SettingException reportedLater) {
                // named again, with the others, when the settings are read; meanwhile nobody gets in
            }
            main.bind("httpServerFactory", new HttpServerFactory(credentials));
            ApiUsersFiles.removeLeftovers();
            // the external routes folder is optional: only an existing one is added to what camel-main loads
            // (files created later are picked up by the config watcher)
            // the built-in routes by name (see BuiltInRoutes: a classpath wildcard costs ~1 s of start-up), unless the
            // environment names the route files itself
            if (System.getenv("CAMEL_MAIN_ROUTESINCLUDEPATTERN") == null) {
                Path routes = Path.of(System.getenv().getOrDefault("ROUTES_DIR", "routes"));
                main.addOverrideProperty("camel.main.routesIncludePattern", BuiltInRoutes.includePattern()
                        + (Files.isDirectory(routes) ? ",file:" + routes + "/*.yaml" : ""));
            }
            main.run();
        } catch (Exception e) {
            String reason = startupProblem(e);
            if (reason == null) {
                throw e;
            }
            // one clear message naming the settings or file to fix, instead of a wrapped stack trace
            System.err.println("ecom-pipeline: cannot start: " + reason);
            return 2;
        }
        return main.getExitCode();
    }

    static String startupProblem(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SettingException || t instanceof ContractException) {
                return t.getMessage();
            }
            if (t instanceof FailedToCreateRouteException) {
                // e.g. a broken file in the external routes folder: name the route, the file and the cause
                return t.getMessage().replaceAll("\\s+", " ");
            }
        }
        return null;
    }
}
