-- Each service owns its own database (the services create their tables with Flyway).
CREATE DATABASE catalog;
CREATE DATABASE session;
CREATE DATABASE insights;
-- The patients' data keys, which session-service and insights-service share (docs/architecture.md, Erasure).
CREATE DATABASE patient_keys;
