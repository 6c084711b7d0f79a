package org.sciaticahep.insights.api;

import io.quarkus.qute.TemplateData;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.insights.domain.FlagRule;
import org.sciaticahep.insights.domain.ProgressionRules;
import org.sciaticahep.insights.domain.QueueFilter;
import org.sciaticahep.insights.domain.ReviewFlag;
import org.sciaticahep.support.Page;

/**
 * What the dashboard's pages read, resolved by code generated at build time: without it Qute finds each property
 * and method by reflection on every use, a third of the home page's CPU with 100 rows (JFR).
 */
@TemplateData(target = ReviewFlag.class)
@TemplateData(target = ReviewFlag.Status.class)
@TemplateData(target = FlagRule.class)
@TemplateData(target = FlagRule.Severity.class)
@TemplateData(target = QueueFilter.class)
@TemplateData(target = Page.class)
@TemplateData(target = Dashboard.Pages.class)
@TemplateData(target = PatientListResource.ListQuery.class)
@TemplateData(target = PatientViews.PatientSummary.class)
@TemplateData(target = ProgressionRules.Suggestion.class)
@TemplateData(target = ProgressionRules.Direction.class)
@TemplateData(target = Dosage.class)
@TemplateData(target = Range.class)
@TemplateData(target = Charts.Format.class)
@TemplateData(target = Charts.Sparkline.class)
@TemplateData(target = Charts.Bar.class)
@TemplateData(target = Charts.AdherenceChart.class)
@TemplateData(target = Charts.Point.class)
@TemplateData(target = Charts.Tick.class)
@TemplateData(target = Charts.PainChart.class)
final class TemplateTypes {

    private TemplateTypes() {
    }
}
