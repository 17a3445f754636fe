package dev.roster;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Feature packages depend on each other only through their published types, and never in a cycle. */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(RosterApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder("target/modulith-docs"))
                .writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }
}
