package io.ecompipeline;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The floor plan, enforced: no package cycles, the layers point one way, and each package depends only on the
 * packages its {@code package-info.java} names. A new package must be added here (the last test fails until it is).
 */
class ArchitectureTest {

    private static final String ROOT = "io.ecompipeline";

    /** Package -> the packages of the pipeline it may use (mirrors each package-info.java). */
    private static final Map<String, Set<String>> MAY_USE = new TreeMap<>(Map.ofEntries(
            Map.entry("config", Set.of()),
            Map.entry("contract", Set.of()),
            Map.entry("generate", Set.of()),
            Map.entry("db", Set.of("config")),
            Map.entry("persist", Set.of("contract", "db")),
            Map.entry("deadletter", Set.of("persist", "contract", "db")),
            Map.entry("ingest", Set.of("deadletter", "persist", "contract", "db")),
            Map.entry("sources", Set.of("ingest", "persist", "config")),
            Map.entry("jobs", Set.of("db", "config")),
            Map.entry("transform", Set.of("jobs", "db")),
            Map.entry("index", Set.of("jobs", "db")),
            Map.entry("observe", Set.of("ingest", "deadletter", "sources", "db")),
            Map.entry("quality", Set.of("observe", "db")),
            Map.entry("fleet", Set.of("jobs", "db")),
            Map.entry("reload", Set.of("contract")),
            Map.entry("api", Set.of("fleet", "jobs", "deadletter", "ingest", "quality", "reload", "observe", "config")),
            Map.entry("wiring", Set.of("config", "contract", "db", "persist", "deadletter", "ingest", "sources", "jobs", "transform",
                    "index", "observe", "quality", "reload", "fleet", "api")),
            Map.entry("cli", Set.of("wiring", "api", "generate", "contract", "config"))));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void layersPointDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Entry").definedBy(ROOT, ROOT + ".cli..")
                .layer("Wiring").definedBy(ROOT + ".wiring..")
                .layer("Operate").definedBy(ROOT + ".api..", ROOT + ".quality..", ROOT + ".observe..", ROOT + ".fleet..")
                .layer("Flow").definedBy(ROOT + ".ingest..", ROOT + ".sources..", ROOT + ".deadletter..", ROOT + ".transform..",
                        ROOT + ".index..", ROOT + ".jobs..", ROOT + ".reload..", ROOT + ".generate..")
                .layer("Storage").definedBy(ROOT + ".persist..")
                .layer("Foundation").definedBy(ROOT + ".config..", ROOT + ".db..", ROOT + ".contract..")
                .whereLayer("Entry").mayNotBeAccessedByAnyLayer()
                .whereLayer("Wiring").mayOnlyBeAccessedByLayers("Entry")
                .whereLayer("Operate").mayOnlyBeAccessedByLayers("Wiring", "Entry")
                .whereLayer("Flow").mayOnlyBeAccessedByLayers("Operate", "Wiring", "Entry")
                .whereLayer("Storage").mayOnlyBeAccessedByLayers("Flow", "Operate", "Wiring", "Entry")
                .check(classes);
    }

    @TestFactory
    Stream<DynamicTest> eachPackageUsesOnlyWhatItsPackageInfoNames() {
        return MAY_USE.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey() + " uses only " + e.getValue(), () -> {
            String pkg = ROOT + "." + e.getKey();
            List<String> allowed = new ArrayList<>(List.of(pkg + ".."));
            e.getValue().forEach(p -> allowed.add(ROOT + "." + p + ".."));
            classes().that().resideInAPackage(pkg + "..")
                    .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..")
                            .or(resideInAnyPackage(allowed.toArray(String[]::new))))
                    .check(classes);
        }));
    }

    @Test
    void everyPackageHasARuleAndAPackageInfo() {
        classes().that(not(resideInAnyPackage(ROOT))).should(new com.tngtech.archunit.lang.ArchCondition<>("be in a package "
                + "with a rule in ArchitectureTest and a package-info.java") {
            @Override
            public void check(com.tngtech.archunit.core.domain.JavaClass c,
                              com.tngtech.archunit.lang.ConditionEvents events) {
                String top = c.getPackageName().substring(ROOT.length() + 1).split("\\.")[0];
                // javac writes no class for a package-info.java without annotations: look at the source
                boolean documented = java.nio.file.Files.exists(java.nio.file.Path.of("src/main/java/io/ecompipeline", top,
                        "package-info.java"));
                if (!MAY_USE.containsKey(top) || !documented) {
                    events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(c, c.getName()
                            + " is in package " + top + ", which has no rule here or no package-info.java"));
                }
            }
        }).check(classes);
    }
}
