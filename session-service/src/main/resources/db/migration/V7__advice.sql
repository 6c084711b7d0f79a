-- The advice a pain report was given when it was accepted (SafetyRules.Advice codes, most urgent first): a retry of
-- the same report is answered with the same advice, whatever arrived in between.
ALTER TABLE patient_event ADD COLUMN advice TEXT[];
