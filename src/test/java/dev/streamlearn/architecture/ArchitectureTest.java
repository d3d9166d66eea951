package dev.streamlearn.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import java.util.List;
import org.apache.flink.api.common.functions.Function;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The shape of the code: the math (hashing, scaling, the learner, metrics, model files, records)
 * knows nothing of Flink; Flink's functions, sinks and configuration live in a few thin
 * adapters; no package depends on another that depends back on it.
 */
@AnalyzeClasses(packages = "dev.streamlearn", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The classes (with their nested and anonymous classes) that adapt the math to Flink. */
    private static final List<String> ADAPTERS = List.of(
            "dev.streamlearn.job.",
            "dev.streamlearn.model.store.",
            "dev.streamlearn.ingest.ValidatingParser",
            "dev.streamlearn.ingest.RawRecordDeserializer",
            "dev.streamlearn.training.TrainerFunction",
            "dev.streamlearn.training.KeyedRecentVersions",
            "dev.streamlearn.training.TrainerMetrics",
            "dev.streamlearn.inference.InferenceFunction",
            "dev.streamlearn.series.SeriesFunction",
            "dev.streamlearn.outcomes.OutcomeJoiner",
            "dev.streamlearn.entities.EntityFunction",
            "dev.streamlearn.records.flink.");

    private static final DescribedPredicate<JavaClass> AN_ADAPTER =
            DescribedPredicate.describe("a Flink adapter (" + String.join(", ", ADAPTERS) + ")", c -> ADAPTERS.stream()
                    .anyMatch(a -> c.getName().startsWith(a)));

    private static final DescribedPredicate<JavaClass> THE_MATH = DescribedPredicate.describe(
            "the math: features, metrics, records, model files, the learner, inference and series cores",
            c -> !AN_ADAPTER.test(c)
                    && c.getPackageName()
                            .matches(
                                    "dev\\.streamlearn\\.(features|metrics|records|model|training|inference|series|ingest|batch|evaluation|outcomes|entities)"));

    /** An annotation that names a record's serializer: read by Flink, inert without it. */
    private static final DescribedPredicate<JavaClass> FLINK_BEYOND_NAMING_A_SERIALIZER = DescribedPredicate.describe(
            "Flink classes (but the @TypeInfo annotation that names a record's serializer)",
            c -> c.getPackageName().startsWith("org.apache.flink") && !c.isEquivalentTo(TypeInfo.class));

    private static final ArchRule THEMATHIMPORTSNOTHINGFROMFLINK = noClasses()
            .that(THE_MATH)
            .should()
            .dependOnClassesThat(FLINK_BEYOND_NAMING_A_SERIALIZER)
            .because("the learner, scaling, hashing and metrics are plain Java, tested and evaluated without Flink");

    /** Checked as a method: surefire 3.5.3 does not run rules declared as fields. */
    @ArchTest
    void theMathImportsNothingFromFlink(JavaClasses classes) {
        THEMATHIMPORTSNOTHINGFROMFLINK.check(classes);
    }

    private static final ArchRule FLINKFUNCTIONSAREADAPTERS = classes()
            .that()
            .implement(Function.class)
            .should(ArchConditions.be(AN_ADAPTER))
            .because("Flink functions are thin adapters around the plain-Java math");

    /** Checked as a method: surefire 3.5.3 does not run rules declared as fields. */
    @ArchTest
    void flinkFunctionsAreAdapters(JavaClasses classes) {
        FLINKFUNCTIONSAREADAPTERS.check(classes);
    }

    private static final ArchRule THESTATUSLOADSNOFLINKFUNCTION = noClasses()
            .that()
            .haveNameMatching("dev\\.streamlearn\\.tools\\.(Status|StatusReport|ClusterMetrics|LearnerBoard)(\\$.*)?")
            .should()
            .transitivelyDependOnClassesThat()
            .areAssignableTo(Function.class)
            .because("scripts/status is a client of the REST API that answers in a second or two: a Flink function"
                    + " read for a constant set up Flink's type extraction and log4j, a third of its time");

    /** Checked as a method: surefire 3.5.3 does not run rules declared as fields. */
    @ArchTest
    void theStatusLoadsNoFlinkFunction(JavaClasses classes) {
        THESTATUSLOADSNOFLINKFUNCTION.check(classes);
    }

    private static final ArchRule PACKAGESHAVENOCYCLES =
            slices().matching("dev.streamlearn.(*)..").should().beFreeOfCycles();

    /** Checked as a method: surefire 3.5.3 does not run rules declared as fields. */
    @ArchTest
    void packagesHaveNoCycles(JavaClasses classes) {
        PACKAGESHAVENOCYCLES.check(classes);
    }

    private static final ArchRule THEMATHDOESNOTREACHFORTHEJOBORTHETOOLS = noClasses()
            .that(THE_MATH)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.streamlearn.job..", "dev.streamlearn.tools..", "dev.streamlearn.datasets..")
            .because("the dataflow's parts are wired by the job, and the tools use them, not the other way round");

    /** Checked as a method: surefire 3.5.3 does not run rules declared as fields. */
    @ArchTest
    void theMathDoesNotReachForTheJobOrTheTools(JavaClasses classes) {
        THEMATHDOESNOTREACHFORTHEJOBORTHETOOLS.check(classes);
    }
}
