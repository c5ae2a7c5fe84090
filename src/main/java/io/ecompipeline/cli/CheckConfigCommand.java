package io.ecompipeline.cli;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.config.SettingException;
import io.ecompipeline.contract.ContractException;
import io.ecompipeline.contract.EventContract;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ecom-pipeline check-config}: reads every setting the way {@code run} does (application.properties and the
 * environment), loads the contract files, and prints every problem at once — without connecting to anything.
 * Exit code 0 when all is well, 1 otherwise.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate every setting and the contract files without connecting to anything; print all problems.")
public final class CheckConfigCommand implements Callable<Integer> {

    @Option(names = {"-q", "--quiet"}, description = "print problems only, not the effective settings")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        List<String> problems = new ArrayList<>();
        // built, never started (and so never stopped: that would only log a shutdown): nothing connects
        CamelContext context = new DefaultCamelContext();
        {
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            PipelineSettings settings = null;
            try {
                settings = PipelineSettings.read(context, System.getenv());
            } catch (SettingException e) {
                problems.addAll(List.of(e.getMessage().replaceFirst("^\\d+ settings need fixing:\\n", "").split("\\n")));
            }
            if (settings != null) {
                if (!quiet) {
                    System.out.println("Effective settings (secrets masked):");
                    settings.describe().forEach(line -> System.out.println("  " + line));
                }
                PipelineSettings.Contract c = settings.contract();
                try {
                    EventContract.load(context, c.schemaUri(), c.rulesUri(), c.maxBytes(), Clock.systemUTC());
                } catch (ContractException e) {
                    problems.add("Contract: " + e.getMessage());
                }
            }
        }
        if (problems.isEmpty()) {
            System.out.println("ecom-pipeline check-config: OK");
            return 0;
        }
        System.err.println("ecom-pipeline check-config: " + problems.size() + " problem(s):");
        problems.forEach(p -> System.err.println("  - " + p.replaceFirst("^\\s*-\\s*", "")));
        return 1;
    }

}
