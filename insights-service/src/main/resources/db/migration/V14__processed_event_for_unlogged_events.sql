-- Exercises and pain reports are now taken once by exercise_log and pain_report (keyed by event id); processed_event
-- holds the ids of the other events, and those of erased patients' exercises and pain reports. The ids of logged
-- events an earlier release put there stay (harmless, and gone at the next rebuild): deleting them at start-up
-- would hold a large table locked for as long as it takes.

-- Every event insights has applied, whatever table took it, once: what operators and the reliability checks count.
CREATE VIEW applied_event AS
    SELECT event_id FROM processed_event
    UNION SELECT event_id FROM exercise_log
    UNION SELECT event_id FROM pain_report;
