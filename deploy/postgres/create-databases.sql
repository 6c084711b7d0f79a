-- Each service owns its own database (the services create their tables with Flyway).
CREATE DATABASE catalog;
CREATE DATABASE session;
CREATE DATABASE insights;
