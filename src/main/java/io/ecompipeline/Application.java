package io.ecompipeline;

import java.nio.file.Files;
import java.nio.file.Path;

import io.ecompipeline.config.SettingException;
import io.ecompipeline.contract.ContractException;
import io.ecompipeline.api.ApiCredentials;
import org.apache.camel.main.Main;

/** camel-main entry point: {@code java -jar ecom-pipeline.jar}. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        try {
            // REST and management servers authenticate against users taken from the environment
            Path users = ApiCredentials.writeUsersFile(System.getenv());
            main.addOverrideProperty("camel.server.basicPropertiesFile", users.toString());
            main.addOverrideProperty("camel.management.basicPropertiesFile", users.toString());
            // the external routes folder is optional: only an existing one is added to what camel-main loads
            // (files created later are picked up by the config watcher)
            Path routes = Path.of(System.getenv().getOrDefault("ROUTES_DIR", "routes"));
            if (Files.isDirectory(routes)) {
                main.addOverrideProperty("camel.main.routesIncludePattern", "classpath:routes/*.yaml,file:" + routes + "/*.yaml");
            }
            main.run(args);
        } catch (Exception e) {
            String reason = startupProblem(e);
            if (reason == null) {
                throw e;
            }
            // one clear line naming the setting or file to fix, instead of a wrapped stack trace
            System.err.println("ecom-pipeline: cannot start: " + reason);
            System.exit(2);
        }
        System.exit(main.getExitCode());
    }

    static String startupProblem(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SettingException || t instanceof ContractException) {
                return t.getMessage();
            }
            if (t instanceof org.apache.camel.FailedToCreateRouteException) {
                // e.g. a broken file in the external routes folder: name the route, the file and the cause
                return t.getMessage().replaceAll("\\s+", " ");
            }
        }
        return null;
    }
}
