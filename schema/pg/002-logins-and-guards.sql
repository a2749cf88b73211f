-- Real logins and the server's own rules.
--
-- On PostgreSQL the person acting is the database login: the session's
-- session_user, matched (without regard to case) to people.login. Nobody
-- can claim to be someone else by typing a name, and what the program
-- refuses is refused by the server too, to a person using psql directly.
--
-- Roles
--   owner         the role that made the database's tables (the role that
--                 first ran handover on the empty database, in tests the
--                 superuser); owns the tables and the functions below and
--                 passes every guard: an administrator, a copy, a repair.
--                 A superuser, or a member of the owner role, counts as
--                 the owner. It needs CREATEROLE for two things only:
--                 making the group role handover_user the first time, and
--                 `people add LOGIN --create-login`, whose role a lead
--                 makes through handover_create_login (SECURITY DEFINER,
--                 so a lead needs no CREATEROLE). `people add` of an
--                 existing role and `people leave` grant and revoke
--                 handover_user through handover_map_login and
--                 handover_unmap_login, which need the owner to hold
--                 handover_user WITH ADMIN OPTION (its creator does), and
--                 only for a login that is (map) or was (unmap) one of this
--                 database's people. handover_user is the cluster's: a
--                 leaver's login loses it for every handover database of
--                 the cluster (an administrator grants it back where the
--                 person stays).
--   handover_user a NOLOGIN group role, shared by every handover database
--                 of the cluster, granted to each person's login: SELECT
--                 on every table, INSERT and UPDATE where the program
--                 writes, DELETE only of person_roles (a lead's change of
--                 someone's roles) and thread (an undone entry); never
--                 DELETE or TRUNCATE of the history (events), never a
--                 change to the schema. PUBLIC has nothing.
--
-- What each person may do (BEFORE triggers, the program's rules.c):
--   lead      everything the program does: setup (handovers, functions,
--             items' text, order, dates and withdrawal), people and their
--             roles, pairs, sign-off of a handover, any item's state (a
--             lead may act --as another person).
--   sender    of a function: its items' sender_state, evidence, na_reason;
--             the receiver's state only between none, pending and gap
--             (handing over, taking back, undoing that); signing the
--             function as its sender.
--   receiver  of a function: its items' receiver_state and condition (and
--             its terms); the sender's state only to put a gap back to
--             the sender (in progress) or to undo that; signing as its
--             receiver.
--   anyone in the people: history events in their own name, thread
--             entries in their own name on functions they are paired on,
--             risks, deep dives and actions on handovers they are paired
--             on, changes to risks and actions they own, their own seen
--             marks. updated_by on an item is always themselves.
--   a login in no person's row (or a leaver): reads, if granted; changes
--             nothing.
-- Whoever is not the owner changes nothing without its history event in
-- the same transaction (the *_recorded constraint triggers, at commit).
-- The history (events) is never updated or deleted, not even by the
-- owner (events_no_update, events_no_delete, events_no_truncate).
--
-- Tables a later migration adds need their grants and guards there.

DO $roles$
BEGIN
	-- Two databases made at once may both find it missing: the second
	-- to create it finds it there.
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'handover_user') THEN
		BEGIN
			CREATE ROLE handover_user NOLOGIN;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;
		END;
	END IF;
END
$roles$;

-- ---- who the session is -------------------------------------------------

-- The owner: a superuser, or the owner of the tables (or a member of it).
CREATE FUNCTION handover_session_is_owner() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER AS $$
	SELECT COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
	    OR pg_has_role(session_user,
	                   (SELECT relowner FROM pg_class
	                    WHERE oid = 'handover_format'::regclass), 'MEMBER')
$$;

-- The session's person: people.login = session_user, not a leaver; NULL
-- when the login is nobody's.
CREATE FUNCTION handover_session_person() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER AS $$
	SELECT id FROM people
	WHERE lower(login) = lower(session_user) AND left_at IS NULL
	ORDER BY login = session_user DESC LIMIT 1
$$;

CREATE FUNCTION handover_session_is_lead() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER AS $$
	SELECT EXISTS (SELECT 1 FROM people p
	               WHERE p.id = handover_session_person()
	                 AND (p.role = 'lead'
	                      OR EXISTS (SELECT 1 FROM person_roles r
	                                 WHERE r.person_id = p.id AND r.role = 'lead')))
$$;

-- The person changing a row who is neither the owner nor a lead: their id,
-- or the refusal when the login is nobody's. NULL: no guard applies.
CREATE FUNCTION handover_guarded_person(what text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
DECLARE
	me bigint;
BEGIN
	IF handover_session_is_owner() OR handover_session_is_lead() THEN
		RETURN NULL;
	END IF;
	me := handover_session_person();
	IF me IS NULL THEN
		RAISE EXCEPTION 'handover: login % is not in this database''s people (read-only): % refused; a lead adds it with ''handover people add %''',
			session_user, what, session_user
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN me;
END;
$$;

CREATE FUNCTION handover_refuse(what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'handover: % refused for login %', what, session_user
		USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- ---- the guards ---------------------------------------------------------

-- Setup, people, roles, the file's own settings: leads only.
CREATE FUNCTION handover_guard_lead_only() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	IF handover_guarded_person(lower(TG_OP) || ' on ' || TG_TABLE_NAME) IS NOT NULL THEN
		PERFORM handover_refuse(lower(TG_OP) || ' on ' || TG_TABLE_NAME || ' (a lead''s)');
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END;
$$;

CREATE FUNCTION handover_guard_items() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	me bigint;
	f record;
	sender_cols boolean;
	receiver_cols boolean;
BEGIN
	me := handover_guarded_person(lower(TG_OP) || ' on items');
	IF me IS NULL THEN
		RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP <> 'UPDATE' THEN
		PERFORM handover_refuse('adding an item (a lead''s)');
	END IF;
	SELECT sender_id, receiver_id INTO f FROM functions WHERE id = OLD.function_id;
	IF me IS DISTINCT FROM f.sender_id AND me IS DISTINCT FROM f.receiver_id THEN
		PERFORM handover_refuse('changing an item of a function you are not paired on');
	END IF;
	IF (NEW.id, NEW.function_id, NEW.number, NEW.position, NEW.title, NEW.guidance,
	    NEW.due_date, NEW.retired_at, NEW.retired_note)
	   IS DISTINCT FROM
	   (OLD.id, OLD.function_id, OLD.number, OLD.position, OLD.title, OLD.guidance,
	    OLD.due_date, OLD.retired_at, OLD.retired_note) THEN
		PERFORM handover_refuse('changing an item''s text, order, date or withdrawal (a lead''s)');
	END IF;
	IF NEW.updated_by IS DISTINCT FROM OLD.updated_by AND NEW.updated_by IS DISTINCT FROM me THEN
		PERFORM handover_refuse('recording a change in someone else''s name');
	END IF;
	sender_cols := (NEW.sender_state, NEW.evidence, NEW.na_reason)
	               IS DISTINCT FROM (OLD.sender_state, OLD.evidence, OLD.na_reason);
	receiver_cols := (NEW.receiver_state, NEW.condition, NEW.condition_owner_id,
	                  NEW.condition_side, NEW.condition_due)
	                 IS DISTINCT FROM
	                 (OLD.receiver_state, OLD.condition, OLD.condition_owner_id,
	                  OLD.condition_side, OLD.condition_due);
	IF sender_cols AND me IS DISTINCT FROM f.sender_id THEN
		-- The receiver's gap puts the item back to the sender, and the
		-- receiver's undo of it puts it back again; nothing else.
		IF (NEW.evidence, NEW.na_reason) IS DISTINCT FROM (OLD.evidence, OLD.na_reason)
		   OR NOT ((NEW.receiver_state = 'gap' AND NEW.sender_state = 'in_progress')
		           OR (OLD.receiver_state = 'gap' AND OLD.sender_state = 'in_progress'
		               AND NEW.receiver_state <> 'gap')) THEN
			PERFORM handover_refuse('changing the sender''s state of an item (its sender''s)');
		END IF;
	END IF;
	IF receiver_cols AND me IS DISTINCT FROM f.receiver_id THEN
		-- Handing over puts the item in the receiver's queue, taking it back
		-- takes it out again; accepting and conditions are the receiver's.
		IF (NEW.condition, NEW.condition_owner_id, NEW.condition_side, NEW.condition_due)
		   IS DISTINCT FROM
		   (OLD.condition, OLD.condition_owner_id, OLD.condition_side, OLD.condition_due)
		   OR OLD.receiver_state NOT IN ('none', 'pending', 'gap')
		   OR NEW.receiver_state NOT IN ('none', 'pending', 'gap') THEN
			PERFORM handover_refuse('accepting or changing the receiver''s state of an item (its receiver''s)');
		END IF;
	END IF;
	RETURN NEW;
END;
$$;

-- A function: its sender and receiver sign it off, each for their side.
CREATE FUNCTION handover_guard_functions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	me bigint;
BEGIN
	me := handover_guarded_person(lower(TG_OP) || ' on functions');
	IF me IS NULL THEN
		RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP <> 'UPDATE' THEN
		PERFORM handover_refuse('adding a function (a lead''s)');
	END IF;
	IF me IS DISTINCT FROM OLD.sender_id AND me IS DISTINCT FROM OLD.receiver_id THEN
		PERFORM handover_refuse('changing a function you are not paired on');
	END IF;
	IF (NEW.id, NEW.handover_id, NEW.code, NEW.name, NEW.position, NEW.due_date, NEW.sender_id,
	    NEW.receiver_id, NEW.next_number, NEW.retired_at, NEW.retired_note)
	   IS DISTINCT FROM
	   (OLD.id, OLD.handover_id, OLD.code, OLD.name, OLD.position, OLD.due_date, OLD.sender_id,
	    OLD.receiver_id, OLD.next_number, OLD.retired_at, OLD.retired_note) THEN
		PERFORM handover_refuse('setting up a function (a lead''s)');
	END IF;
	IF NEW.sender_signed_at IS DISTINCT FROM OLD.sender_signed_at
	   AND me IS DISTINCT FROM OLD.sender_id THEN
		PERFORM handover_refuse('signing a function off as its sender');
	END IF;
	IF NEW.receiver_signed_at IS DISTINCT FROM OLD.receiver_signed_at
	   AND me IS DISTINCT FROM OLD.receiver_id THEN
		PERFORM handover_refuse('signing a function off as its receiver');
	END IF;
	RETURN NEW;
END;
$$;

-- The history: an event is written in the session's own name.
CREATE FUNCTION handover_guard_events() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	me bigint;
BEGIN
	me := handover_guarded_person('adding to the history');
	IF me IS NOT NULL
	   AND NEW.actor IS DISTINCT FROM (SELECT login FROM people WHERE id = me) THEN
		PERFORM handover_refuse('writing history in someone else''s name');
	END IF;
	RETURN NEW;
END;
$$;

CREATE FUNCTION handover_paired(person bigint, handover bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER AS $$
	SELECT EXISTS (SELECT 1 FROM functions WHERE handover_id = handover
	               AND (sender_id = person OR receiver_id = person))
$$;

-- The thread: entries in one's own name, on a function one is paired on;
-- queries resolved and unresolved by the pair; one's own entries undone.
CREATE FUNCTION handover_guard_thread() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	me bigint;
	r record;
BEGIN
	me := handover_guarded_person(lower(TG_OP) || ' on thread');
	IF me IS NULL THEN
		RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP = 'DELETE' THEN
		r := OLD;
	ELSE
		r := NEW;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM items i JOIN functions f ON f.id = i.function_id
	               WHERE i.id = r.item_id AND (f.sender_id = me OR f.receiver_id = me)) THEN
		PERFORM handover_refuse('the thread of an item you are not paired on');
	END IF;
	IF TG_OP = 'INSERT' AND NEW.author_id IS DISTINCT FROM me THEN
		PERFORM handover_refuse('writing in the thread in someone else''s name');
	ELSIF TG_OP = 'DELETE' AND OLD.author_id IS DISTINCT FROM me THEN
		PERFORM handover_refuse('removing someone else''s thread entry');
	ELSIF TG_OP = 'UPDATE'
	      AND (NEW.id, NEW.item_id, NEW.kind, NEW.author_id, NEW.at, NEW.body)
	          IS DISTINCT FROM (OLD.id, OLD.item_id, OLD.kind, OLD.author_id, OLD.at, OLD.body) THEN
		PERFORM handover_refuse('rewriting a thread entry');
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END;
$$;

-- Risks, deep dives and actions: added by those paired on the handover,
-- changed by their owner.
CREATE FUNCTION handover_guard_risks() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	me bigint;
BEGIN
	me := handover_guarded_person(lower(TG_OP) || ' on ' || TG_TABLE_NAME);
	IF me IS NULL THEN
		RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP = 'DELETE' THEN
		PERFORM handover_refuse('removing a ' || TG_TABLE_NAME || ' row (the owner''s)');
	ELSIF TG_OP = 'INSERT' THEN
		IF NOT handover_paired(me, NEW.handover_id) THEN
			PERFORM handover_refuse('adding to a handover you are not paired on');
		END IF;
	ELSIF TG_TABLE_NAME = 'deep_dives' THEN
		PERFORM handover_refuse('changing a deep dive (a lead''s)');
	ELSIF OLD.owner_id IS DISTINCT FROM me THEN
		PERFORM handover_refuse('changing a ' || TG_TABLE_NAME || ' row you do not own');
	END IF;
	RETURN NEW;
END;
$$;

-- What a person has seen: their own marks only.
CREATE FUNCTION handover_guard_seen() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	me bigint;
BEGIN
	me := handover_guarded_person(lower(TG_OP) || ' on seen');
	IF me IS NULL AND TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	IF me IS NOT NULL AND (NEW.person_id IS DISTINCT FROM me
	                       OR (TG_OP = 'UPDATE' AND OLD.person_id IS DISTINCT FROM me)) THEN
		PERFORM handover_refuse('marking what someone else has seen');
	END IF;
	RETURN NEW;
END;
$$;

CREATE FUNCTION handover_history_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'history is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
	FOR EACH STATEMENT EXECUTE FUNCTION handover_history_no_truncate();
CREATE TRIGGER events_guard BEFORE INSERT ON events
	FOR EACH ROW EXECUTE FUNCTION handover_guard_events();
CREATE TRIGGER items_guard BEFORE INSERT OR UPDATE OR DELETE ON items
	FOR EACH ROW EXECUTE FUNCTION handover_guard_items();
CREATE TRIGGER functions_guard BEFORE INSERT OR UPDATE OR DELETE ON functions
	FOR EACH ROW EXECUTE FUNCTION handover_guard_functions();
CREATE TRIGGER thread_guard BEFORE INSERT OR UPDATE OR DELETE ON thread
	FOR EACH ROW EXECUTE FUNCTION handover_guard_thread();
CREATE TRIGGER risks_guard BEFORE INSERT OR UPDATE OR DELETE ON risks
	FOR EACH ROW EXECUTE FUNCTION handover_guard_risks();
CREATE TRIGGER deep_dives_guard BEFORE INSERT OR UPDATE OR DELETE ON deep_dives
	FOR EACH ROW EXECUTE FUNCTION handover_guard_risks();
CREATE TRIGGER dive_actions_guard BEFORE INSERT OR UPDATE OR DELETE ON dive_actions
	FOR EACH ROW EXECUTE FUNCTION handover_guard_risks();
CREATE TRIGGER seen_guard BEFORE INSERT OR UPDATE OR DELETE ON seen
	FOR EACH ROW EXECUTE FUNCTION handover_guard_seen();
CREATE TRIGGER handovers_guard BEFORE INSERT OR UPDATE OR DELETE ON handovers
	FOR EACH ROW EXECUTE FUNCTION handover_guard_lead_only();
CREATE TRIGGER people_guard BEFORE INSERT OR UPDATE OR DELETE ON people
	FOR EACH ROW EXECUTE FUNCTION handover_guard_lead_only();
CREATE TRIGGER person_roles_guard BEFORE INSERT OR UPDATE OR DELETE ON person_roles
	FOR EACH ROW EXECUTE FUNCTION handover_guard_lead_only();
CREATE TRIGGER meta_guard BEFORE INSERT OR UPDATE OR DELETE ON meta
	FOR EACH ROW EXECUTE FUNCTION handover_guard_lead_only();

-- Every change a person makes is recorded: at commit, a transaction that
-- changed a recorded table must have appended to the history (the guard
-- on events has made sure it is in their own name). A row changed with
-- psql, even one within the person's rights, is refused unless it comes
-- with its event. The program takes the write lock for every change, so
-- the newest event is this transaction's when it wrote one. The owner
-- (a copy, a repair) is not held to it; what a person has seen (seen) is
-- not history.
CREATE FUNCTION handover_guard_recorded() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	IF handover_session_is_owner() THEN
		RETURN NULL;
	END IF;
	IF (SELECT xmin FROM events ORDER BY id DESC LIMIT 1)
	   IS DISTINCT FROM pg_current_xact_id()::xid THEN
		RAISE EXCEPTION 'handover: a change to % without its history event, refused for login %: changes are made through handover',
			TG_TABLE_NAME, session_user
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NULL;
END;
$$;

DO $recorded$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['meta', 'people', 'person_roles', 'handovers', 'functions',
	                         'items', 'thread', 'risks', 'deep_dives', 'dive_actions'] LOOP
		EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
		               'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW '
		               'EXECUTE FUNCTION handover_guard_recorded()', t || '_recorded', t);
	END LOOP;
END
$recorded$;

-- ---- logins made and mapped by a lead -----------------------------------

CREATE FUNCTION handover_require_lead(what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
BEGIN
	IF NOT (handover_session_is_owner() OR handover_session_is_lead()) THEN
		RAISE EXCEPTION 'handover: % refused: login % is not a lead''s', what, session_user
			USING ERRCODE = 'insufficient_privilege';
	END IF;
END;
$$;

-- A new login for a person, in handover_user. The password comes as
-- libpq's SCRAM verifier (PQencryptPasswordConn): the clear text never
-- reaches the server.
CREATE FUNCTION handover_create_login(login text, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	PERFORM handover_require_lead('creating a login');
	IF login !~ '^[A-Za-z0-9._@-]{1,64}$' THEN
		RAISE EXCEPTION 'handover: login % is not 1-64 letters, digits or . _ - @', login
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
		RAISE EXCEPTION 'handover: a database login % exists already (add the person without --create-login)', login
			USING ERRCODE = 'duplicate_object';
	END IF;
	IF verifier IS NULL OR verifier !~ '^SCRAM-SHA-256\$' THEN
		RAISE EXCEPTION 'handover: a new login''s password must come as a SCRAM verifier'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',
	               login, verifier);
	EXECUTE format('GRANT handover_user TO %I', login);
END;
$$;

-- An existing login mapped to a person: granted handover_user. A login
-- that holds more (a superuser, a role with CREATEROLE, the owner) is
-- refused: a lead must not hand out, or take on, more than a person's
-- rights.
CREATE FUNCTION handover_map_login(login text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	r record;
BEGIN
	PERFORM handover_require_lead('mapping a login');
	IF NOT EXISTS (SELECT 1 FROM people p
	               WHERE lower(p.login) = lower(handover_map_login.login)
	                 AND p.left_at IS NULL) THEN
		RAISE EXCEPTION 'handover: login % is not one of this database''s people', login
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT rolname, rolsuper, rolcreaterole INTO r FROM pg_roles WHERE rolname = login;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	IF pg_has_role(login, 'handover_user', 'MEMBER') THEN
		RETURN true;
	END IF;
	IF r.rolsuper OR r.rolcreaterole
	   OR pg_has_role(login, (SELECT relowner FROM pg_class
	                          WHERE oid = 'handover_format'::regclass), 'MEMBER') THEN
		RETURN true; -- an administrator's login needs no grant
	END IF;
	EXECUTE format('GRANT handover_user TO %I', login);
	RETURN true;
END;
$$;

-- A leaver's login loses handover_user (the people row stays, with left_at);
-- false when the login is nobody's or holds it through another role. The
-- group role is the cluster's: a login that left one handover database
-- loses it for every other of the cluster too (the administrator grants it
-- back where the person stays), so only a leaver's is taken.
CREATE FUNCTION handover_unmap_login(login text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	PERFORM handover_require_lead('revoking a login');
	IF NOT EXISTS (SELECT 1 FROM people p
	               WHERE lower(p.login) = lower(handover_unmap_login.login)
	                 AND p.left_at IS NOT NULL) THEN
		RAISE EXCEPTION 'handover: login % is not a leaver of this database', login
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_auth_members m
	               JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = 'handover_user'
	               JOIN pg_roles u ON u.oid = m.member AND u.rolname = login) THEN
		RETURN false;
	END IF;
	EXECUTE format('REVOKE handover_user FROM %I', login);
	RETURN true;
END;
$$;

-- ---- fixed search paths, grants ----------------------------------------

DO $grants$
DECLARE
	s text := quote_ident(current_schema());
	fn text;
BEGIN
	FOR fn IN SELECT p.oid::regprocedure::text FROM pg_proc p
	          WHERE p.pronamespace = current_schema()::regnamespace
	            AND p.proname LIKE 'handover\_%' LOOP
		EXECUTE format('ALTER FUNCTION %s SET search_path = %s, pg_temp', fn, s);
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
	END LOOP;
	EXECUTE format('GRANT EXECUTE ON FUNCTION %s.handover_create_login(text, text), '
	               '%s.handover_map_login(text), %s.handover_unmap_login(text) TO handover_user',
	               s, s, s);
	EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %s FROM PUBLIC', s);
	EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %s FROM PUBLIC', s);
	EXECUTE format('GRANT USAGE ON SCHEMA %s TO handover_user', s);
	EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %s TO handover_user', s);
	EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %s TO handover_user', s);
	EXECUTE format('GRANT INSERT, UPDATE ON %1$s.people, %1$s.handovers, %1$s.functions, '
	               '%1$s.items, %1$s.risks, %1$s.deep_dives, %1$s.dive_actions, %1$s.seen '
	               'TO handover_user', s);
	EXECUTE format('GRANT INSERT, DELETE ON %1$s.person_roles TO handover_user', s);
	EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %1$s.thread TO handover_user', s);
	EXECUTE format('GRANT INSERT ON %1$s.events TO handover_user', s);
	-- A table a later migration adds can at least be read; its writes,
	-- guard and *_recorded trigger are that migration's to give.
	EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %s GRANT SELECT ON TABLES TO handover_user', s);
	EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %s GRANT USAGE ON SEQUENCES TO handover_user', s);
END
$grants$;
