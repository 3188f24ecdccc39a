package io.egressgateway.bootstrap.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hexagon's rules, written once over a root package so that the same rules run over the product
 * ({@code io.egressgateway}) and over a fixture that breaks each of them on purpose.
 */
final class LayeringRules {
    private LayeringRules() {
    }

    static Map<String, ArchRule> forRoot(String root) {
        String domain = root + ".domain..";
        String application = root + ".application..";
        String kubernetes = root + ".adapters.kubernetes..";
        String linux = root + ".adapters.linux..";
        String webhook = root + ".adapters.webhook..";
        Map<String, ArchRule> rules = new LinkedHashMap<>();

        rules.put("domain depends on the JDK only", classes().that().resideInAPackage(domain)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", domain)
                .because("the domain is unit-tested without a cluster, a kernel or a framework"));

        rules.put("application depends on domain only", classes().that().resideInAPackage(application)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", domain, application, "org.slf4j..")
                .because("use cases see the outside world through ports only"));

        rules.put("adapters do not depend on each other", noClasses().that().resideInAPackage(kubernetes)
                .should().dependOnClassesThat().resideInAnyPackage(linux, webhook)
                .orShould().dependOnClassesThat().resideInAnyPackage(root + ".bootstrap..")
                .because("each adapter talks to the application through ports"));
        rules.put("the Linux adapter does not depend on another adapter", noClasses().that().resideInAPackage(linux)
                .should().dependOnClassesThat().resideInAnyPackage(kubernetes, webhook, root + ".bootstrap.."));
        rules.put("the webhook adapter does not depend on another adapter", noClasses().that().resideInAPackage(webhook)
                .should().dependOnClassesThat().resideInAnyPackage(kubernetes, linux, root + ".bootstrap.."));

        rules.put("only bootstrap uses Guice and Typesafe Config", noClasses().that().resideOutsideOfPackage(root + ".bootstrap..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "com.typesafe.config..")
                .because("the hexagon uses plain constructors; configuration is bound once, in bootstrap"));

        rules.put("no package cycles", slices().matching(root + ".(**)").should().beFreeOfCycles());

        rules.put("outbound ports are named <Verb><Noun>Port", classes().that().resideInAPackage(application + "port.out..")
                .and().areInterfaces().and().areNotAnnotations().and(notPackageInfo())
                .should().haveSimpleNameEndingWith("Port"));
        rules.put("inbound ports are named <Verb><Noun>UseCase", classes().that().resideInAPackage(application + "port.in..")
                .and().areInterfaces().and(notPackageInfo())
                .should().haveSimpleNameEndingWith("UseCase"));
        rules.put("adapter classes are package-private", classes().that().haveSimpleNameEndingWith("Adapter")
                .and().resideInAnyPackage(root + ".adapters..").and(topLevel())
                .should().notBePublic()
                .because("an adapter is reached through its port and its module's factory"));
        rules.put("adapters implement ports", classes().that().haveSimpleNameEndingWith("Adapter")
                .and().resideInAnyPackage(root + ".adapters..").and(topLevel()).and().areNotInterfaces()
                .should().implement(portInterface(root)));
        return rules;
    }

    private static DescribedPredicate<JavaClass> notPackageInfo() {
        return DescribedPredicate.describe("not package-info", c -> !c.getSimpleName().equals("package-info"));
    }

    private static DescribedPredicate<JavaClass> topLevel() {
        return DescribedPredicate.describe("top-level", c -> c.isTopLevelClass());
    }

    private static DescribedPredicate<JavaClass> portInterface(String root) {
        return DescribedPredicate.describe("a port of the application", c -> c.isInterface()
                && (c.getPackageName().startsWith(root + ".application.port")
                        || c.getPackageName().startsWith(root + ".application.lifecycle")));
    }
}
