package parley.bench.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.stream.Stream;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Issue 11: the house rules, checked on the compiled main classes of every module (read from
 * each module's {@code target/classes}). A rule that fails names the offending dependency.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // The main classes of each module, from its own output directory (surefire runs in bench/):
        // on the reactor classpath the siblings are jars, mixed with every third-party jar.
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPaths(Stream.of("nio-core", "server", "peer", "bench")
                        .map(m -> Path.of("..", m, "target", "classes"))
                        .toArray(Path[]::new));
    }

    /** A client needs the protocol, never the registry, its store, its hashing pool or its policies. */
    @Test
    void thePeerUsesNothingOfTheServerOutsideTheProtocol() {
        noClasses().that().resideInAPackage("parley.peer..")
                .should().dependOnClassesThat(resideInAPackage("parley.server..").and(not(resideInAPackage("parley.server.protocol.."))))
                .because("the peer is a client of the registry protocol, not of its implementation")
                .check(main);
    }

    /** nio-core is a transport library: it knows no chat. */
    @Test
    void nioCoreKnowsNoChat() {
        noClasses().that().resideInAPackage("parley.core..")
                .should().dependOnClassesThat().resideInAnyPackage("parley.server..", "parley.peer..", "parley.bench..")
                .check(main);
    }

    /** Persistence speaks records and storage failures, never wire bodies or registry rules. */
    @Test
    void theServerStoreKnowsNeitherTheWireBodiesNorTheRegistry() {
        noClasses().that().resideInAPackage("parley.server.store..")
                .should().dependOnClassesThat().resideInAnyPackage("parley.server.protocol..", "parley.server.registry..")
                .check(main);
    }

    @Test
    void noCyclesBetweenModules() {
        slices().matching("parley.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void noCyclesInsideNioCore() {
        slices().matching("parley.core.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void noCyclesInsideTheServer() {
        slices().matching("parley.server.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void noCyclesInsideThePeer() {
        slices().matching("parley.peer.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void noCyclesInsideTheBench() {
        slices().matching("parley.bench.(*)..").should().beFreeOfCycles().check(main);
    }
}
