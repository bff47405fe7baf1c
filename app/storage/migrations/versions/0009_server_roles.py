"""Signed audit entries; and PostgreSQL enforces the roles itself (issue 14).

Every store: ``audit_log.signer`` and ``audit_log.signature`` (an entry signed by its
writer's key), ``users.signing_keys`` (the public keys that verify them) and
``store_policies`` (an administrator's policies for everyone) and
``records.case_reference_index`` (the blind index of a case reference,
app/storage/sealing.py). The rest applies on PostgreSQL only:

* Group roles (``NOLOGIN``): ``vagafraga_app`` (every user) and one per app role
  (``vagafraga_handler``, ``vagafraga_team_lead``, ``vagafraga_trainer``,
  ``vagafraga_admin``). Each user is a ``LOGIN`` role of the same name, made by
  ``vagafraga_add_user``. The migration creates the group roles when they are missing (the
  migrating role needs ``CREATEROLE``; a database administrator may create them first).
* Row-level security, forced (the owner is bound too), on every table that holds records,
  drafts, versions or results. A handler's rows are those with ``handler = session_user``.
* Column privileges: nobody but a handler or a trainer selects ``case_reference`` or
  ``notes``; nobody selects ``users.password_hash``. A migration that adds a column to
  ``records`` or ``users`` grants it here the same way.
* The audit log is append-only: app roles only ``SELECT``; entries go in through
  ``vagafraga_audit_append`` (``SECURITY DEFINER``, fixed ``search_path``), which chains
  them under an advisory lock with the hash :mod:`app.accounts.audit` checks. Accounts and
  roles change only through the functions below, each of which writes its audit entry.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.tables import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

APP = "vagafraga_app"
GROUPS = (
    APP,
    "vagafraga_handler",
    "vagafraga_team_lead",
    "vagafraga_trainer",
    "vagafraga_admin",
)
SENSITIVE = ("case_reference", "notes", "case_reference_index")
USER_COLUMNS_HIDDEN = ("password_hash", "failed_logins", "last_failed_at")
# pg_advisory_xact_lock keys (app.storage.server has the same numbers).
AUDIT_LOCK = 7_146_001
ACCOUNTS_LOCK = 7_146_002
DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp"

# Records a user may see through another table's record_id: their own, and practice ones
# for a trainer (the record's own policies apply inside the subquery too).
OWN_RECORD = (
    "EXISTS (SELECT 1 FROM records r WHERE r.id = record_id AND (r.handler = session_user "
    "OR (r.practice AND pg_has_role(session_user, 'vagafraga_trainer', 'MEMBER'))))"
)

FUNCTIONS = [
    # The teams of the signed-in user (for the team lead's policies); one initplan a query.
    f"""
CREATE FUNCTION vagafraga_my_teams() RETURNS text[] LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT coalesce((SELECT array(SELECT json_array_elements_text(u.teams::json))
                   FROM public.users u
                   WHERE u.username = session_user AND u.disabled_at IS NULL), '{{}}')
$$""",
    # One audit entry, chained under a lock: the hash is SHA-256 over the same canonical
    # JSON as app.accounts.audit.entry_hash. The actor is always the signed-in role.
    f"""
CREATE FUNCTION vagafraga_audit_append(
  p_event text, p_record_id text, p_subject text, p_detail text
) RETURNS integer LANGUAGE plpgsql {DEFINER} AS $$
DECLARE
  v_at timestamptz := date_trunc('microseconds', clock_timestamp());
  v_seq integer;
  v_prev text;
  v_at_text text;
  v_hash text;
  v_found boolean;
BEGIN
  PERFORM pg_advisory_xact_lock({AUDIT_LOCK});
  SELECT seq, hash INTO v_seq, v_prev FROM public.audit_head WHERE id = 1;
  v_found := FOUND;
  IF NOT v_found THEN
    IF EXISTS (SELECT 1 FROM public.audit_log) THEN
      RAISE EXCEPTION 'the record of the newest audit entry is missing'
        USING ERRCODE = 'VF001';
    END IF;
    v_seq := 0;
    v_prev := repeat('0', 64);
  END IF;
  v_seq := v_seq + 1;
  v_at_text := to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
    || CASE WHEN extract(microseconds FROM v_at) % 1000000 <> 0
            THEN '.' || to_char(v_at AT TIME ZONE 'UTC', 'US') ELSE '' END
    || '+00:00';
  v_hash := encode(sha256(convert_to(
    '{{"actor":' || to_json(session_user::text)::text
    || ',"at":' || to_json(v_at_text)::text
    || ',"detail":' || to_json(p_detail)::text
    || ',"event":' || to_json(p_event)::text
    || ',"prev":' || to_json(v_prev)::text
    || ',"record_id":' || coalesce(to_json(p_record_id)::text, 'null')
    || ',"subject":' || coalesce(to_json(p_subject)::text, 'null')
    || '}}', 'UTF8')), 'hex');
  INSERT INTO public.audit_log (seq, at, actor, event, record_id, subject, detail,
                                prev_hash, hash)
  VALUES (v_seq, v_at, session_user, p_event, p_record_id, p_subject, p_detail,
          v_prev, v_hash);
  IF v_found THEN
    UPDATE public.audit_head SET seq = v_seq, hash = v_hash WHERE id = 1;
  ELSE
    INSERT INTO public.audit_head (id, seq, hash) VALUES (1, v_seq, v_hash);
  END IF;
  RETURN v_seq;
END
$$""",
    # Which roles may be held together on a server: a role that reads case references and
    # notes (handler, trainer) never with one that reads other people's records (team lead,
    # administrator), since column privileges do not depend on the row.
    f"""
CREATE FUNCTION vagafraga_check_roles(p_roles text[]) RETURNS void LANGUAGE plpgsql
{DEFINER} AS $$
BEGIN
  IF p_roles IS NULL OR cardinality(p_roles) = 0 THEN
    RAISE EXCEPTION 'a user needs at least one role' USING ERRCODE = 'VF107';
  END IF;
  IF NOT p_roles <@ ARRAY['handler', 'team_lead', 'trainer', 'admin'] THEN
    RAISE EXCEPTION 'unknown role' USING ERRCODE = 'VF107';
  END IF;
  IF p_roles && ARRAY['handler', 'trainer'] AND p_roles && ARRAY['team_lead', 'admin'] THEN
    RAISE EXCEPTION 'these roles cannot be held together on a server'
      USING ERRCODE = 'VF104';
  END IF;
END
$$""",
    f"""
CREATE FUNCTION vagafraga_require_admin() RETURNS void LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.users WHERE username = session_user
                 AND disabled_at IS NULL AND roles::jsonb ? 'admin') THEN
    RAISE EXCEPTION 'only an administrator may do this' USING ERRCODE = '42501';
  END IF;
END
$$""",
    # Group memberships follow the users table's roles.
    f"""
CREATE FUNCTION vagafraga_grant_roles(p_name text, p_roles text[]) RETURNS void
LANGUAGE plpgsql {DEFINER} AS $$
DECLARE
  v_role text;
BEGIN
  EXECUTE format('GRANT vagafraga_app TO %I', p_name);
  FOREACH v_role IN ARRAY ARRAY['handler', 'team_lead', 'trainer', 'admin'] LOOP
    IF v_role = ANY (p_roles) THEN
      EXECUTE format('GRANT %I TO %I', 'vagafraga_' || v_role, p_name);
    ELSE
      EXECUTE format('REVOKE %I FROM %I', 'vagafraga_' || v_role, p_name);
    END IF;
  END LOOP;
END
$$""",
    f"""
CREATE FUNCTION vagafraga_keep_an_admin(p_name text) RETURNS void LANGUAGE plpgsql
{DEFINER} AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.users WHERE username <> p_name
                 AND disabled_at IS NULL AND roles::jsonb ? 'admin') THEN
    RAISE EXCEPTION 'the store must keep an administrator' USING ERRCODE = 'VF103';
  END IF;
END
$$""",
    # A user: a login role of the same name with the password's SCRAM verifier (made by the
    # client: the password itself never reaches the server or its log), a users row, the
    # group roles, and the audit entry. The first user is made by the database's owner.
    f"""
CREATE FUNCTION vagafraga_add_user(
  p_name text, p_verifier text, p_roles text[], p_teams text[]
) RETURNS void LANGUAGE plpgsql {DEFINER} AS $$
DECLARE
  v_existing record;
BEGIN
  PERFORM pg_advisory_xact_lock({ACCOUNTS_LOCK});
  IF EXISTS (SELECT 1 FROM public.users WHERE disabled_at IS NULL) THEN
    PERFORM vagafraga_require_admin();
  END IF;
  PERFORM vagafraga_check_roles(p_roles);
  IF p_name !~ '^[A-Za-z0-9][A-Za-z0-9._-]{{0,63}}$' OR p_name ~ '^(pg_|vagafraga_)' THEN
    RAISE EXCEPTION 'not a valid user name' USING ERRCODE = 'VF105';
  END IF;
  IF p_verifier !~ '^SCRAM-SHA-256\\$' THEN
    RAISE EXCEPTION 'not a SCRAM verifier' USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM public.users WHERE username = p_name AND disabled_at IS NULL) THEN
    RAISE EXCEPTION 'the user exists' USING ERRCODE = 'VF101';
  END IF;
  SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls INTO v_existing
  FROM pg_roles WHERE rolname = p_name;
  IF FOUND THEN
    -- Only a role this app made (a user of a store on this server, or one removed here).
    IF v_existing.rolsuper OR v_existing.rolcreaterole OR v_existing.rolcreatedb
       OR v_existing.rolreplication OR v_existing.rolbypassrls
       OR NOT (EXISTS (SELECT 1 FROM pg_auth_members m
                       JOIN pg_roles g ON g.oid = m.roleid
                       JOIN pg_roles u ON u.oid = m.member
                       WHERE g.rolname = 'vagafraga_app' AND u.rolname = p_name)
               OR EXISTS (SELECT 1 FROM public.users WHERE username = p_name)) THEN
      RAISE EXCEPTION 'the name belongs to another database role' USING ERRCODE = 'VF105';
    END IF;
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', p_name, p_verifier);
  ELSE
    EXECUTE format('CREATE ROLE %I LOGIN INHERIT PASSWORD %L', p_name, p_verifier);
  END IF;
  PERFORM vagafraga_grant_roles(p_name, p_roles);
  INSERT INTO public.users (username, roles, teams, key_fingerprint, password_hash,
                            created_at, disabled_at, failed_logins, last_failed_at)
  VALUES (p_name, array_to_json(p_roles)::text, array_to_json(p_teams)::text, NULL, NULL,
          clock_timestamp(), NULL, 0, NULL)
  ON CONFLICT (username) DO UPDATE SET roles = excluded.roles, teams = excluded.teams,
    key_fingerprint = NULL, password_hash = NULL, disabled_at = NULL, failed_logins = 0,
    last_failed_at = NULL;
  PERFORM vagafraga_audit_append('account_added', NULL, p_name,
    '{{"roles":' || array_to_json(p_roles)::text || ',"teams":'
    || array_to_json(p_teams)::text || '}}');
END
$$""",
    f"""
CREATE FUNCTION vagafraga_set_roles(p_name text, p_roles text[], p_teams text[])
RETURNS void LANGUAGE plpgsql {DEFINER} AS $$
DECLARE
  v_roles text[];
  v_teams text[];
BEGIN
  PERFORM pg_advisory_xact_lock({ACCOUNTS_LOCK});
  PERFORM vagafraga_require_admin();
  SELECT array(SELECT json_array_elements_text(roles::json) ORDER BY 1),
         array(SELECT json_array_elements_text(teams::json) ORDER BY 1)
  INTO v_roles, v_teams
  FROM public.users WHERE username = p_name AND disabled_at IS NULL;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such user' USING ERRCODE = 'VF102';
  END IF;
  v_roles := coalesce(p_roles, v_roles);
  v_teams := coalesce(p_teams, v_teams);
  PERFORM vagafraga_check_roles(v_roles);
  IF NOT 'admin' = ANY (v_roles) THEN
    PERFORM vagafraga_keep_an_admin(p_name);
  END IF;
  UPDATE public.users SET roles = array_to_json(v_roles)::text,
                          teams = array_to_json(v_teams)::text
  WHERE username = p_name;
  PERFORM vagafraga_grant_roles(p_name, v_roles);
  PERFORM vagafraga_audit_append('account_roles_changed', NULL, p_name,
    '{{"roles":' || array_to_json(v_roles)::text || ',"teams":'
    || array_to_json(v_teams)::text || '}}');
END
$$""",
    f"""
CREATE FUNCTION vagafraga_remove_user(p_name text) RETURNS void LANGUAGE plpgsql
{DEFINER} AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({ACCOUNTS_LOCK});
  PERFORM vagafraga_require_admin();
  IF p_name = session_user THEN
    RAISE EXCEPTION 'you cannot remove your own account' USING ERRCODE = 'VF106';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.users WHERE username = p_name
                 AND disabled_at IS NULL) THEN
    RAISE EXCEPTION 'no such user' USING ERRCODE = 'VF102';
  END IF;
  PERFORM vagafraga_keep_an_admin(p_name);
  UPDATE public.users SET disabled_at = clock_timestamp(), key_fingerprint = NULL,
                          password_hash = NULL
  WHERE username = p_name;
  -- vagafraga_app stays: it marks the role as this app's, to be given back by add_user
  EXECUTE format('ALTER ROLE %I NOLOGIN PASSWORD NULL', p_name);
  PERFORM vagafraga_grant_roles(p_name, ARRAY[]::text[]);
  PERFORM vagafraga_audit_append('account_removed', NULL, p_name, '{{}}');
END
$$""",
    # A user's own new password, or an administrator's reset of someone else's.
    f"""
CREATE FUNCTION vagafraga_set_password(p_name text, p_verifier text) RETURNS void
LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
  IF p_name <> session_user THEN
    PERFORM vagafraga_require_admin();
  END IF;
  IF p_verifier !~ '^SCRAM-SHA-256\\$' THEN
    RAISE EXCEPTION 'not a SCRAM verifier' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.users WHERE username = p_name
                 AND disabled_at IS NULL) THEN
    RAISE EXCEPTION 'no such user' USING ERRCODE = 'VF102';
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', p_name, p_verifier);
  PERFORM vagafraga_audit_append(
    CASE WHEN p_name = session_user THEN 'password_changed' ELSE 'password_reset' END,
    NULL, p_name, '{{}}');
END
$$""",
]
FUNCTIONS.append(
    f"""
CREATE FUNCTION vagafraga_set_policy(p_name text, p_value integer) RETURNS void
LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
  PERFORM vagafraga_require_admin();
  INSERT INTO public.store_policies (name, value, changed_at, changed_by)
  VALUES (p_name, p_value, clock_timestamp(), session_user)
  ON CONFLICT (name) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at,
    changed_by = excluded.changed_by;
  PERFORM vagafraga_audit_append('policy_changed', NULL, p_name,
    '{{"value":' || p_value || '}}');
END
$$"""
)
FUNCTION_NAMES = (
    "vagafraga_my_teams()",
    "vagafraga_audit_append(text, text, text, text)",
    "vagafraga_check_roles(text[])",
    "vagafraga_require_admin()",
    "vagafraga_grant_roles(text, text[])",
    "vagafraga_keep_an_admin(text)",
    "vagafraga_add_user(text, text, text[], text[])",
    "vagafraga_set_roles(text, text[], text[])",
    "vagafraga_remove_user(text)",
    "vagafraga_set_password(text, text)",
    "vagafraga_set_policy(text, integer)",
)
CALLABLE = (
    "vagafraga_my_teams()",
    "vagafraga_audit_append(text, text, text, text)",
    "vagafraga_add_user(text, text, text[], text[])",
    "vagafraga_set_roles(text, text[], text[])",
    "vagafraga_remove_user(text)",
    "vagafraga_set_password(text, text)",
    "vagafraga_set_policy(text, integer)",
)

MY_TEAMS = "((SELECT vagafraga_my_teams())::text[])"  # an initplan: once a query
POLICIES = [
    # records
    "CREATE POLICY handler_own ON records FOR SELECT TO vagafraga_handler"
    " USING (handler = session_user)",
    "CREATE POLICY handler_add ON records FOR INSERT TO vagafraga_handler"
    " WITH CHECK (handler = session_user)",
    "CREATE POLICY handler_correct ON records FOR UPDATE TO vagafraga_handler"
    " USING (handler = session_user) WITH CHECK (handler = session_user)",
    "CREATE POLICY team_lead_read ON records FOR SELECT TO vagafraga_team_lead"
    f" USING (NOT practice AND team = ANY {MY_TEAMS})",
    "CREATE POLICY team_lead_import ON records FOR INSERT TO vagafraga_team_lead"
    f" WITH CHECK (NOT practice AND team = ANY {MY_TEAMS})",
    "CREATE POLICY trainer_read ON records FOR SELECT TO vagafraga_trainer USING (practice)",
    "CREATE POLICY trainer_add ON records FOR INSERT TO vagafraga_trainer WITH CHECK (practice)",
    "CREATE POLICY trainer_correct ON records FOR UPDATE TO vagafraga_trainer"
    " USING (practice) WITH CHECK (practice)",
    "CREATE POLICY admin_read ON records FOR SELECT TO vagafraga_admin USING (true)",
    "CREATE POLICY admin_import ON records FOR INSERT TO vagafraga_admin WITH CHECK (true)",
    "CREATE POLICY admin_purge ON records FOR DELETE TO vagafraga_admin USING (true)",
    # drafts: only one's own
    "CREATE POLICY own_draft ON drafts TO vagafraga_app"
    " USING (handler = session_user) WITH CHECK (handler = session_user)",
    # what hangs off a record: only the owner's (and practice ones for a trainer)
    *(
        f"CREATE POLICY own_record ON {table} TO vagafraga_app"
        f" USING ({OWN_RECORD}) WITH CHECK ({OWN_RECORD})"
        for table in ("record_versions", "record_indicators", "record_consequences")
    ),
    # whoever may bring a record in (a team lead for their teams, an administrator) brings
    # its lists too; an administrator's migration export reads them
    *(
        f"CREATE POLICY add_to_visible_record ON {table} FOR INSERT TO vagafraga_app"
        " WITH CHECK (EXISTS (SELECT 1 FROM records r WHERE r.id = record_id))"
        for table in ("record_indicators", "record_consequences")
    ),
    *(
        f"CREATE POLICY admin_read ON {table} FOR SELECT TO vagafraga_admin USING (true)"
        for table in ("record_indicators", "record_consequences")
    ),
    # monthly counts kept by retention
    "CREATE POLICY handler_own ON record_aggregates FOR SELECT TO vagafraga_handler"
    " USING (handler = session_user)",
    "CREATE POLICY team_lead_read ON record_aggregates FOR SELECT TO vagafraga_team_lead"
    f" USING (team = ANY {MY_TEAMS})",
    "CREATE POLICY admin_all ON record_aggregates TO vagafraga_admin"
    " USING (true) WITH CHECK (true)",
    # practice results
    "CREATE POLICY trainee_own ON practice_results TO vagafraga_app"
    " USING (trainee = session_user) WITH CHECK (trainee = session_user)",
    "CREATE POLICY trainer_all ON practice_results TO vagafraga_trainer"
    " USING (true) WITH CHECK (true)",
    "CREATE POLICY by_result ON practice_result_items TO vagafraga_app"
    " USING (EXISTS (SELECT 1 FROM practice_results r WHERE r.id = result_id))"
    " WITH CHECK (EXISTS (SELECT 1 FROM practice_results r WHERE r.id = result_id))",
    # accounts: one's own row; an administrator sees all (changes only through functions)
    "CREATE POLICY own_or_admin ON users FOR SELECT TO vagafraga_app"
    " USING (username = session_user OR pg_has_role(session_user, 'vagafraga_admin', 'MEMBER'))",
    # the functions above run as the owner, which the forced policies bind too
    "CREATE POLICY definer ON users TO CURRENT_USER USING (true) WITH CHECK (true)",
]
RLS_TABLES = (
    "records",
    "drafts",
    "record_versions",
    "record_indicators",
    "record_consequences",
    "record_aggregates",
    "practice_results",
    "practice_result_items",
    "users",
)
GRANTS = [
    "GRANT USAGE ON SCHEMA public TO vagafraga_app",
    "GRANT SELECT ON alembic_version, audit_log, audit_head TO vagafraga_app",
    "GRANT SELECT ON records TO vagafraga_handler, vagafraga_trainer",
    "GRANT INSERT, UPDATE ON records TO vagafraga_handler, vagafraga_trainer",
    "GRANT INSERT ON records TO vagafraga_team_lead",
    "GRANT INSERT, DELETE ON records TO vagafraga_admin",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON drafts, record_versions, record_indicators,"
    " record_consequences TO vagafraga_app",
    "GRANT SELECT ON record_aggregates TO vagafraga_app",
    "GRANT INSERT ON record_aggregates TO vagafraga_admin",
    "GRANT USAGE ON SEQUENCE record_aggregates_id_seq TO vagafraga_admin",
    "GRANT SELECT, INSERT ON practice_results, practice_result_items TO vagafraga_app",
    "GRANT SELECT, INSERT ON store_secrets TO vagafraga_app",
    "GRANT SELECT ON store_policies TO vagafraga_app",
]


def _columns(table: str, hidden: tuple[str, ...]) -> str:
    names = [column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)]
    return ", ".join(f'"{name}"' for name in names if name not in hidden)


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as audit:
        audit.add_column(sa.Column("signer", sa.String(64), nullable=True))
        audit.add_column(sa.Column("signature", sa.String(100), nullable=True))
    with op.batch_alter_table("users") as accounts:
        accounts.add_column(sa.Column("signing_keys", sa.Text(), nullable=True))
    op.create_table(
        "store_policies",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
    )
    with op.batch_alter_table("records") as screenings:
        screenings.add_column(sa.Column("case_reference_index", sa.String(64), nullable=True))
    if op.get_bind().dialect.name != "postgresql":
        return
    for group in GROUPS:
        op.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') "
            f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
        )
    # Nobody but the owner creates objects here (a function's search_path names public).
    op.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    for statement in FUNCTIONS:
        op.execute(statement)
    for signature in FUNCTION_NAMES:
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    for signature in CALLABLE:
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {APP}")
    for statement in GRANTS:
        op.execute(statement)
    records = _columns("records", SENSITIVE)
    op.execute(f"GRANT SELECT ({records}) ON records TO {APP}")
    users = _columns("users", USER_COLUMNS_HIDDEN)
    op.execute(f"GRANT SELECT ({users}) ON users TO {APP}")
    for table in RLS_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    for statement in POLICIES:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _downgrade_server()
    with op.batch_alter_table("records") as screenings:
        screenings.drop_column("case_reference_index")
    op.drop_table("store_policies")
    with op.batch_alter_table("users") as accounts:
        accounts.drop_column("signing_keys")
    with op.batch_alter_table("audit_log") as audit:
        audit.drop_column("signature")
        audit.drop_column("signer")


def _downgrade_server() -> None:
    for table in RLS_TABLES:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for (name,) in op.get_bind().execute(
            sa.text("SELECT policyname FROM pg_policies WHERE tablename = :t"), {"t": table}
        ):
            op.execute(f'DROP POLICY "{name}" ON {table}')
    for signature in reversed(FUNCTION_NAMES):
        op.execute(f"DROP FUNCTION {signature}")
    tables = ", ".join((*RLS_TABLES, "alembic_version", "audit_log", "audit_head", "store_secrets"))
    for group in GROUPS:
        op.execute(f"REVOKE ALL ON {tables} FROM {group}")
