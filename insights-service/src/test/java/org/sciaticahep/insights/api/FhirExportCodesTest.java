package org.sciaticahep.insights.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.hl7.fhir.r4.model.CarePlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.contracts.session.ItemStatus;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.insights.domain.FlagRule;

/** The export's fixed mappings: every value the app can send has its code, so no record fails to export. */
class FhirExportCodesTest {

    @Test
    void everyPainLocationAndSideHasASnomedCode() {
        assertEquals(EnumSet.allOf(PainLocation.class), FhirExport.BODY_SITES.keySet());
        assertEquals(EnumSet.allOf(Side.class), FhirExport.SIDES.keySet());
        FhirExport.BODY_SITES.values().forEach(c -> assertEquals(FhirExport.SNOMED, c.getSystem()));
        assertTrue(FhirExport.BODY_SITES.values().stream().map(c -> c.getCode()).distinct().count() == PainLocation.values().length);
    }

    @ParameterizedTest
    @CsvSource({"CRITICAL, PH", "HIGH, PH", "MEDIUM, PM", "LOW, PL"})
    void flagPriority(FlagRule.Severity severity, String priority) {
        assertEquals(priority, FhirExport.priority(severity));
    }

    @ParameterizedTest
    @CsvSource({"ACTIVE, INPROGRESS", "PAUSED, ONHOLD", "STOPPED, STOPPED"})
    void activityStatus(ItemStatus status, CarePlan.CarePlanActivityStatus expected) {
        assertEquals(expected, FhirExport.status(status));
    }

    @ParameterizedTest
    @CsvSource({"pelvic-tilt, PelvicTilt", "knee-to-chest, KneeToChest", "glute_bridge2, GluteBridge2", "7-stretch, Exercise7Stretch",
            "x, X"})
    void computableNameStartsWithACapital(String id, String name) {
        assertEquals(name, FhirExport.computableName(id));
    }

    @Test
    void dosageAsAClinicianWritesIt() {
        assertEquals("2 sets of 10-12 repetitions per side, hold 5-10 s",
                FhirExport.text(new Dosage(2, Range.of(10, 12), Range.of(5, 10), true)));
        assertEquals("1 set of 8 repetitions", FhirExport.text(new Dosage(1, Range.of(8, 8), null, false)));
        assertEquals("8 repetitions", FhirExport.text(new Dosage(null, Range.of(8, 8), null, null)));
        assertEquals("no dosage given", FhirExport.text(null));
    }
}
