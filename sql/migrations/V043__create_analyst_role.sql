-- The read-only role `analyst` (Metabase and analysts, seed 002): SELECT on the analytics layers clean and marts,
-- nothing on raw (personal data as sent) or pipeline (bookkeeping), no writes anywhere. Tables created later in clean
-- and marts by the migrating user are readable too (default privileges).
--
-- Roles belong to the PostgreSQL cluster, not the database: the role is created only when missing, and only when the
-- migrating user may create roles (a superuser, as in docker-compose, or CREATEROLE). Otherwise a warning says so and
-- the grants wait: create the role (scripts/local-stack.sh does, with its password), then run
-- SELECT pipeline.grant_analyst_access(); as the pipeline's user.
-- Its password is PG_ANALYST_PASSWORD (placeholder analyst_password): set, the role may log in with it; empty, the role
-- cannot log in. A role that already exists keeps its login and password.

CREATE FUNCTION pipeline.grant_analyst_access() RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst') THEN
        RETURN 'role analyst does not exist: nothing granted';
    END IF;
    GRANT USAGE ON SCHEMA clean, marts TO analyst;
    GRANT SELECT ON ALL TABLES IN SCHEMA clean, marts TO analyst;
    ALTER DEFAULT PRIVILEGES IN SCHEMA clean, marts GRANT SELECT ON TABLES TO analyst;
    REVOKE ALL ON SCHEMA raw, pipeline FROM analyst;
    RETURN 'analyst may read clean and marts';
END
$$;

COMMENT ON FUNCTION pipeline.grant_analyst_access() IS
'Grants the role analyst read access to clean and marts (and nothing else); for a role created after migration 043.';

DO $$
DECLARE
    -- dollar-quoted so any character is safe; the blank keeps Flyway from skipping a placeholder right after a $
    -- (flyway/flyway#3638) and substr drops it again
    password text := substr($pw$ ${analyst_password}$pw$, 2);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst') THEN
        IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            RAISE WARNING 'role analyst not created: % may not create roles. Create it (CREATE ROLE analyst LOGIN '
            'PASSWORD ...), then run SELECT pipeline.grant_analyst_access();', current_user;
            RETURN;
        END IF;
        IF password = '' THEN
            CREATE ROLE analyst NOLOGIN;
        ELSE
            EXECUTE format('CREATE ROLE analyst LOGIN PASSWORD %L', password);
        END IF;
    END IF;
    PERFORM pipeline.grant_analyst_access();
END
$$;
