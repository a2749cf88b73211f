/* People, the actor, and creating a new file. */
#define _GNU_SOURCE
#include "store.h"
#include "template.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static void person_from_row(eng_stmt *s, ho_person *p)
{
	p->id = eng_int64(s, 0);
	p->login = store_col_text(s, 1);
	p->name = store_col_text(s, 2);
	p->role = words_role_from_db(eng_text(s, 3));
	p->org = store_col_text(s, 4);
	p->left_at = eng_int64(s, 5);
	p->job_title = store_col_text(s, 6);
	p->roles = 0;
	const char *roles = eng_text(s, 7);
	if (!roles || ho_roles_parse(roles, &p->roles) != 0)
		p->roles = HO_ROLE_BIT(p->role);
	/* The rules see a lead as a lead; being a function's sender or
	 * receiver is a matter of its pair, not of this word. */
	if (p->roles & HO_ROLE_BIT(HO_ROLE_LEAD))
		p->role = HO_ROLE_LEAD;
}

/* The role people.role keeps: lead, else sender, else receiver. */
static ho_role primary_role(unsigned roles)
{
	if (roles & HO_ROLE_BIT(HO_ROLE_LEAD))
		return HO_ROLE_LEAD;
	return roles & HO_ROLE_BIT(HO_ROLE_SENDER) ? HO_ROLE_SENDER : HO_ROLE_RECEIVER;
}

static int roles_valid(unsigned roles)
{
	unsigned all = 0;
	for (int r = HO_ROLE_NONE + 1; r < HO_ROLE__COUNT; r++)
		all |= HO_ROLE_BIT(r);
	return roles != 0 && (roles & ~all) == 0;
}

static ho_status write_roles(ho_db *db, int64_t id, unsigned roles)
{
	eng_stmt *s = store_stmt(db, STMT_person_roles_clear);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":id", id);
	ho_status st = store_exec_stmt(db, s, "setting roles");
	for (int r = HO_ROLE_NONE + 1; r < HO_ROLE__COUNT && st == HO_OK; r++) {
		if (!(roles & HO_ROLE_BIT(r)))
			continue;
		if (!(s = store_stmt(db, STMT_person_role_add)))
			return store_stmt_failed(db);
		store_bind_int(s, ":id", id);
		store_bind_text(s, ":role", words_role_db((ho_role)r));
		st = store_exec_stmt(db, s, "setting roles");
	}
	return st;
}

ho_status ho_person_get(ho_db *db, const char *login, ho_person *out)
{
	memset(out, 0, sizeof *out);
	eng_stmt *s = store_stmt(db, STMT_person_by_login);
	if (!s)
		return store_stmt_failed(db);
	store_bind_text(s, ":login", login);
	int rc = eng_step(s);
	if (rc == ENG_ROW)
		person_from_row(s, out);
	if ((rc = store_row_whole(s, rc)) == ENG_NOMEM)
		ho_person_clear(out);
	eng_reset(s);
	if (rc == ENG_ROW)
		return HO_OK;
	if (rc == ENG_DONE)
		return store_fail(db, HO_ENOTFOUND, "no person with login '%s'", login);
	return store_engine_fail(db, rc, "reading people");
}

ho_status ho_people_list(ho_db *db, ho_person **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	eng_stmt *s = store_stmt(db, STMT_people_all);
	if (!s)
		return store_stmt_failed(db);
	size_t cap = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
			eng_reset(s);
			ho_person_free(*out, *n);
			*out = NULL;
			*n = 0;
			return HO_ENOMEM;
		}
		person_from_row(s, &(*out)[(*n)++]);
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_person_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_engine_fail(db, rc, "reading people");
	}
	return HO_OK;
}

/* On a server the session's login is the actor. Another is taken only from
 * the owner or a lead (the rules of a lead acting for someone, as --as on a
 * file); the refusal leaves the session's login acting. */
static ho_status server_actor(ho_db *db, const char **login)
{
	const char *own = db->session_login;
	if (!*login || !**login || strcasecmp(*login, own) == 0 || db->session_owner) {
		if (!*login || !**login)
			*login = own;
		return HO_OK;
	}
	ho_person me;
	int lead = 0;
	char saved[sizeof db->errmsg];
	memcpy(saved, db->errmsg, sizeof saved);
	if (ho_person_get(db, own, &me) == HO_OK) {
		lead = (me.roles & HO_ROLE_BIT(HO_ROLE_LEAD)) && !me.left_at;
		ho_person_clear(&me);
	}
	memcpy(db->errmsg, saved, sizeof saved);
	if (lead)
		return HO_OK;
	char *clean = ho_sanitise(own, HO_SAN_LINE);
	ho_status st = store_fail(db, HO_EPERM,
	                          "on PostgreSQL you act as your database login (%s); --as needs "
	                          "a lead's login",
	                          clean ? clean : "?");
	free(clean);
	*login = own;
	return st;
}

const char *ho_session_login(const ho_db *db)
{
	return db->session_login;
}

ho_status ho_set_actor(ho_db *db, const char *login)
{
	ho_status refused = db->session_login ? server_actor(db, &login) : HO_OK;
	char refusal[sizeof db->errmsg];
	memcpy(refusal, db->errmsg, sizeof refusal);
	ho_person p;
	/* Looking the login up may fail (an unknown login is a viewer); that is
	 * no error of the caller's, so the last message stays as it was. */
	char saved[sizeof db->errmsg];
	memcpy(saved, db->errmsg, sizeof saved);
	ho_person_clear(&db->actor);
	if (login && ho_person_get(db, login, &p) == HO_OK) {
		db->actor = p;
		/* A leaver is named in what they did but acts no more, not even to
		 * undo: to the rules they are a viewer. */
		if (p.left_at)
			db->actor.role = HO_ROLE_NONE;
	} else {
		db->actor.login = strdup(login ? login : "");
		db->actor.name = strdup("");
		db->actor.org = strdup("");
		db->actor.job_title = strdup("");
		db->actor.role = HO_ROLE_NONE;
	}
	memcpy(db->errmsg, refused != HO_OK ? refusal : saved, sizeof saved);
	return refused;
}

const ho_person *ho_actor(const ho_db *db)
{
	return &db->actor;
}

int ho_is_lead(const ho_db *db)
{
	return db->actor.role == HO_ROLE_LEAD && !db->read_only;
}

char *ho_default_login(void)
{
	const char *env = getenv("HANDOVER_USER");
	if (env && *env)
		return strdup(env);
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return strdup(pw->pw_name);
	env = getenv("LOGNAME");
	if (!env || !*env)
		env = getenv("USER");
	return strdup(env && *env ? env : "unknown");
}

/* Logins are what people type after --as: keep them plain. */
static int login_valid(const char *login)
{
	size_t len = strlen(login);
	if (len == 0 || len > HO_MAX_LOGIN)
		return 0;
	for (const char *c = login; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-' || *c == '@'))
			return 0;
	return 1;
}

ho_status store_refuse_unmapped(ho_db *db, const char *what)
{
	char *clean = ho_sanitise(db->actor.login ? db->actor.login : "", HO_SAN_LINE);
	const char *l = clean ? clean : "?";
	ho_status st = store_fail(db, HO_EPERM,
	                          "%s%sthe database login '%s' is not one of this database's "
	                          "people, or has left (read-only); a lead adds it with "
	                          "'handover people add %s --name NAME --role ROLE'",
	                          what ? what : "", what ? ": " : "", l, l);
	free(clean);
	return st;
}

ho_status store_require_lead(ho_db *db, const char *what)
{
	if (db->actor.role == HO_ROLE_LEAD)
		return HO_OK;
	if (db->actor.role == HO_ROLE_NONE && db->session_login)
		return store_refuse_unmapped(db, what);
	if (db->actor.role == HO_ROLE_NONE)
		return store_fail(db, HO_EPERM, "%s: '%s' is not in this file's people (read-only)",
		                  what, db->actor.login);
	return store_fail(db, HO_EPERM, "%s: only a lead may do this (you are a %s)", what,
	                  ho_role_name(db->actor.role));
}

static ho_status insert_person(ho_db *db, const char *login, const char *name, unsigned roles,
                               const char *org, char **clean_name_out)
{
	char *clean_name = NULL, *clean_org = NULL;
	ho_status st = store_clean_text(db, name, HO_MAX_NAME, 1, "name", &clean_name);
	if (st != HO_OK)
		goto cleanup;
	/* `--as Sam` finds sam, so Sam cannot be someone else. */
	ho_person same;
	char saved[sizeof db->errmsg];
	memcpy(saved, db->errmsg, sizeof saved);
	if (ho_person_get(db, login, &same) == HO_OK) {
		st = strcmp(same.login, login) == 0
		         ? store_fail(db, HO_EEXIST, "login '%s' is already taken", login)
		         : store_fail(db, HO_EEXIST,
		                      "login '%s' is already taken as '%s' (logins differing only "
		                      "in case are the same login)",
		                      login, same.login);
		ho_person_clear(&same);
		goto cleanup;
	}
	memcpy(db->errmsg, saved, sizeof saved);
	st = store_clean_text(db, org ? org : "", HO_MAX_NAME, 0, "organisation", &clean_org);
	if (st != HO_OK)
		goto cleanup;
	eng_stmt *s = store_stmt(db, STMT_person_insert);
	if (!s) {
		st = store_stmt_failed(db);
		goto cleanup;
	}
	store_bind_text(s, ":login", login);
	store_bind_text(s, ":name", clean_name);
	store_bind_text(s, ":role", words_role_db(primary_role(roles)));
	store_bind_text(s, ":org", clean_org);
	store_bind_int(s, ":now", store_now(db));
	int rc = eng_step(s);
	eng_reset(s);
	if ((rc & 0xff) == ENG_CONSTRAINT) {
		st = store_fail(db, HO_EEXIST, "login '%s' is already taken", login);
		goto cleanup;
	}
	if (rc != ENG_DONE) {
		st = store_engine_fail(db, rc, "adding a person");
		goto cleanup;
	}
	if ((st = write_roles(db, db->eng->last_id(db), roles)) != HO_OK)
		goto cleanup;
	if (clean_name_out) {
		*clean_name_out = clean_name;
		clean_name = NULL;
	}
cleanup:
	free(clean_name);
	free(clean_org);
	return st;
}

ho_status ho_person_add(ho_db *db, const char *login, const char *name, ho_role role,
                        const char *org)
{
	if (role <= HO_ROLE_NONE || (int)role >= (int)HO_ROLE__COUNT)
		return store_fail(db, HO_EUSAGE, "role must be sender, receiver or lead");
	return ho_person_add_roles(db, login, name, HO_ROLE_BIT(role), org);
}

/* On a server, the new person's database login given a person's rights:
 * made with the password, or an existing one mapped; a missing login is
 * refused only when the caller asked for one (required). */
static ho_status grant_login(ho_db *db, const char *login, const char *password, int required,
                             int *has_login)
{
	if (has_login)
		*has_login = 0;
	if (!db->session_login || !db->eng->login_grant)
		return HO_OK;
	char saved[sizeof db->errmsg];
	memcpy(saved, db->errmsg, sizeof saved);
	ho_status st = db->eng->login_grant(db, login, password);
	if (st == HO_OK && has_login)
		*has_login = 1;
	/* The owner (an administrator, a copy) may name people who have no
	 * login yet; a lead adds people who are to sign in. */
	if (st == HO_ENOTFOUND && (!required || db->session_owner)) {
		memcpy(db->errmsg, saved, sizeof saved);
		return HO_OK;
	}
	if (st == HO_ENOTFOUND)
		return store_fail(db, HO_ESTATE,
		                  "there is no database login '%s' on this server: give "
		                  "--create-login (a password from --password-file FILE or stdin) "
		                  "to make one, or ask the administrator to create it",
		                  login);
	return st;
}

static ho_status person_add(ho_db *db, const char *login, const char *name, unsigned roles,
                            const char *org, const char *password, int login_required,
                            int *has_login);

ho_status ho_person_add_roles(ho_db *db, const char *login, const char *name, unsigned roles,
                              const char *org)
{
	return person_add(db, login, name, roles, org, NULL, 0, NULL);
}

ho_status ho_person_add_login(ho_db *db, const char *login, const char *name, unsigned roles,
                              const char *org, const char *password, int *has_login)
{
	if (has_login)
		*has_login = 0;
	if (password && !db->session_login)
		return store_fail(db, HO_EUSAGE,
		                  "--create-login: a handover file has no database logins (only "
		                  "a PostgreSQL database does)");
	if (password && !*password)
		return store_fail(db, HO_EUSAGE, "the new login's password is empty");
	return person_add(db, login, name, roles, org, password, 1, has_login);
}

static ho_status person_add(ho_db *db, const char *login, const char *name, unsigned roles,
                            const char *org, const char *password, int login_required,
                            int *has_login)
{
	if (!login || !login_valid(login))
		return store_fail(db, HO_EUSAGE,
		                  "login must be 1-%d letters, digits or . _ - @ (got '%s')",
		                  HO_MAX_LOGIN, login ? login : "");
	if (!roles_valid(roles))
		return store_fail(db, HO_EUSAGE, "role must be sender, receiver or lead");
	struct store_change ch;
	ho_status st = store_change_begin(db, &ch, STORE_LEAD, "adding a person");
	if (st != HO_OK)
		return st;
	char *clean_name = NULL;
	st = insert_person(db, login, name, roles, org, &clean_name);
	if (st == HO_OK)
		st = grant_login(db, login, password, login_required, has_login);
	if (st == HO_OK) {
		char desc[HO_MAX_NAME + 64], words[64];
		ho_roles_format(roles, words, sizeof words);
		snprintf(desc, sizeof desc, "%s, %s", clean_name, words);
		st = store_event(db, "person", 0, 0, 0, login, "", desc, "", 0);
	}
	free(clean_name);
	return store_change_end(db, &ch, st);
}

ho_status ho_person_map_login(ho_db *db, const char *login, const char *password)
{
	if (!db->session_login)
		return store_fail(db, HO_EUSAGE,
		                  "people map: a handover file has no database logins (only a "
		                  "PostgreSQL database does)");
	if (password && !*password)
		return store_fail(db, HO_EUSAGE, "the new login's password is empty");
	struct store_change ch;
	ho_status st = store_change_begin(db, &ch, STORE_LEAD, "giving a login a person's rights");
	if (st != HO_OK)
		return st;
	ho_person p = {0};
	if ((st = ho_person_get(db, login, &p)) != HO_OK)
		goto fail;
	if (p.left_at) {
		st = store_fail(db, HO_ESTATE, "%s has left: a leaver's login is not given rights",
		                login);
		goto fail;
	}
	if ((st = grant_login(db, p.login, password, 1, NULL)) == HO_OK)
		st = store_event(db, "person", 0, 0, 0, p.login, "",
		                 password ? "database login made" : "database login mapped", "", 0);
fail:
	ho_person_clear(&p);
	return store_change_end(db, &ch, st);
}

static ho_status person_refresh_actor(ho_db *db)
{
	char *login = db->actor.login ? strdup(db->actor.login) : NULL;
	ho_set_actor(db, login);
	free(login);
	return HO_OK;
}

/* The functions to look through for a person's pairs. */
static ho_status pairs_of(ho_db *db, int64_t person_id, ho_function **fs, size_t *nf)
{
	return person_id ? ho_functions_list(db, 0, fs, nf) : HO_OK;
}

ho_status ho_person_edit(ho_db *db, const char *login, const char *name, const char *org,
                         const char *job_title, unsigned roles)
{
	ho_person p = {0};
	ho_function *fs = NULL;
	size_t nf = 0;
	char *clean_name = NULL, *clean_org = NULL, *clean_job = NULL;
	struct store_change ch;
	if (roles && !roles_valid(roles))
		return store_fail(db, HO_EUSAGE, "role must be sender, receiver or lead");
	ho_status st = store_change_begin(db, &ch, STORE_LEAD, "changing a person");
	if (st != HO_OK)
		return st;
	if ((st = ho_person_get(db, login, &p)) != HO_OK)
		goto fail;
	if (p.left_at) {
		st = store_fail(db, HO_ESTATE, "%s has left; their record stays as it was", login);
		goto fail;
	}
	if ((st = store_clean_text(db, name ? name : p.name, HO_MAX_NAME, 1, "name",
	                           &clean_name)) != HO_OK ||
	    (st = store_clean_text(db, org ? org : p.org, HO_MAX_NAME, 0, "organisation",
	                           &clean_org)) != HO_OK ||
	    (st = store_clean_text(db, job_title ? job_title : p.job_title, HO_MAX_NAME, 0,
	                           "job title", &clean_job)) != HO_OK)
		goto fail;
	unsigned now = roles ? roles : p.roles;
	if (now != p.roles) {
		/* A pair needs someone of that side: the pair moves first. */
		if ((st = pairs_of(db, p.id, &fs, &nf)) != HO_OK)
			goto fail;
		for (size_t i = 0; i < nf; i++) {
			int side = fs[i].sender_id == p.id     ? HO_ROLE_SENDER
			           : fs[i].receiver_id == p.id ? HO_ROLE_RECEIVER
			                                       : HO_ROLE_NONE;
			if (side != HO_ROLE_NONE && !(now & HO_ROLE_BIT(side))) {
				st = store_fail(db, HO_ESTATE,
				                "%s is the %s of %s; pair someone else there first "
				                "(or 'people leave %s --to LOGIN')",
				                login, ho_role_name((ho_role)side), fs[i].code,
				                login);
				goto fail;
			}
		}
		if ((p.roles & HO_ROLE_BIT(HO_ROLE_LEAD)) && !(now & HO_ROLE_BIT(HO_ROLE_LEAD))) {
			eng_stmt *c = store_stmt(db, STMT_leads_staying);
			if (!c) {
				st = store_stmt_failed(db);
				goto fail;
			}
			store_bind_int(c, ":id", p.id);
			int leads = eng_step(c) == ENG_ROW ? eng_int(c, 0) : 0;
			eng_reset(c);
			if (leads == 0) {
				st = store_fail(db, HO_ESTATE,
				                "%s is the only lead; add another lead first",
				                login);
				goto fail;
			}
		}
	}
	eng_stmt *s = store_stmt(db, STMT_person_update);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":id", p.id);
	store_bind_text(s, ":name", clean_name);
	store_bind_text(s, ":org", clean_org);
	store_bind_text(s, ":role", words_role_db(primary_role(now)));
	store_bind_text(s, ":job_title", clean_job);
	if ((st = store_exec_stmt(db, s, "changing a person")) != HO_OK ||
	    (st = write_roles(db, p.id, now)) != HO_OK)
		goto fail;
	char old[3 * HO_MAX_NAME + 96], new[3 * HO_MAX_NAME + 96], was[64], is[64];
	ho_roles_format(p.roles, was, sizeof was);
	ho_roles_format(now, is, sizeof is);
	snprintf(old, sizeof old, "%s, %s, %s, %s", p.name, p.job_title, was, p.org);
	snprintf(new, sizeof new, "%s, %s, %s, %s", clean_name, clean_job, is, clean_org);
	st = store_event(db, "person", 0, 0, 0, login, old, new, "", 0);
fail:
	if ((st = store_change_end(db, &ch, st)) == HO_OK)
		person_refresh_actor(db);
	ho_function_free(fs, nf);
	ho_person_clear(&p);
	free(clean_name);
	free(clean_org);
	free(clean_job);
	return st;
}

ho_status ho_person_leave(ho_db *db, const char *login, const char *successor, int *moved)
{
	return ho_person_leave_login(db, login, successor, moved, NULL);
}

ho_status ho_person_leave_login(ho_db *db, const char *login, const char *successor, int *moved,
                                int *revoked)
{
	int lost = 0;
	if (revoked)
		*revoked = 0;
	ho_person p = {0}, to = {0};
	ho_function *fs = NULL;
	size_t nf = 0;
	int count = 0;
	struct store_change ch;
	if (moved)
		*moved = 0;
	ho_status st = store_change_begin(db, &ch, STORE_LEAD, "recording a leaver");
	if (st != HO_OK)
		return st;
	if ((st = ho_person_get(db, login, &p)) != HO_OK)
		goto fail;
	if (p.left_at) {
		st = store_fail(db, HO_ESTATE, "%s has already left", login);
		goto fail;
	}
	if (successor) {
		if ((st = ho_person_get(db, successor, &to)) != HO_OK)
			goto fail;
		if (to.id == p.id || to.left_at) {
			st = store_fail(db, HO_ESTATE, "%s cannot take over: %s", successor,
			                to.id == p.id ? "it is the person leaving"
			                              : "they have left");
			goto fail;
		}
	}
	if (p.roles & HO_ROLE_BIT(HO_ROLE_LEAD)) {
		eng_stmt *c = store_stmt(db, STMT_leads_staying);
		if (!c) {
			st = store_stmt_failed(db);
			goto fail;
		}
		store_bind_int(c, ":id", p.id);
		int leads = eng_step(c) == ENG_ROW ? eng_int(c, 0) : 0;
		eng_reset(c);
		if (leads == 0) {
			st = store_fail(db, HO_ESTATE,
			                "%s is the only lead; add another lead first", login);
			goto fail;
		}
	}
	/* Their unsigned pairs move to the successor, or become unpaired for a
	 * lead to fill; a function already signed keeps who signed it. */
	if ((st = pairs_of(db, p.id, &fs, &nf)) != HO_OK)
		goto fail;
	for (size_t i = 0; i < nf; i++) {
		const ho_function *f = &fs[i];
		int as_sender = f->sender_id == p.id, as_receiver = f->receiver_id == p.id;
		if ((!as_sender && !as_receiver) || f->sender_signed_at || f->receiver_signed_at)
			continue;
		if (to.id && ((as_sender && !(to.roles & HO_ROLE_BIT(HO_ROLE_SENDER))) ||
		              (as_receiver && !(to.roles & HO_ROLE_BIT(HO_ROLE_RECEIVER))))) {
			char words[64];
			ho_roles_format(to.roles, words, sizeof words);
			st = store_fail(db, HO_ESTATE, "%s is a %s; %s's pair on %s needs a %s",
			                successor, words, login, f->code,
			                as_sender ? "sender" : "receiver");
			goto fail;
		}
		int64_t sid = as_sender ? to.id : f->sender_id;
		int64_t rid = as_receiver ? to.id : f->receiver_id;
		eng_stmt *s = store_stmt(db, STMT_function_pair);
		if (!s) {
			st = store_stmt_failed(db);
			goto fail;
		}
		store_bind_int(s, ":id", f->id);
		if (sid)
			store_bind_int(s, ":sender_id", sid);
		if (rid)
			store_bind_int(s, ":receiver_id", rid);
		if ((st = store_exec_stmt(db, s, "moving a pair")) != HO_OK)
			goto fail;
		char old[2 * HO_MAX_NAME + 8], now[2 * HO_MAX_NAME + 8];
		const char *sname = f->sender_id ? f->sender_name : "-";
		const char *rname = f->receiver_id ? f->receiver_name : "-";
		snprintf(old, sizeof old, "%s / %s", sname, rname);
		snprintf(now, sizeof now, "%s / %s", as_sender ? (to.id ? to.name : "-") : sname,
		         as_receiver ? (to.id ? to.name : "-") : rname);
		if ((st = store_event(db, "pair", f->handover_id, f->id, 0, f->code, old, now, "",
		                      0)) != HO_OK)
			goto fail;
		count++;
	}
	eng_stmt *s = store_stmt(db, STMT_person_leave);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":id", p.id);
	store_bind_int(s, ":now", ho_now());
	if ((st = store_exec_stmt(db, s, "recording a leaver")) != HO_OK)
		goto fail;
	char what[HO_MAX_NAME + HO_MAX_LOGIN + 64];
	snprintf(what, sizeof what, "left; %d pair%s %s%s", count, count == 1 ? "" : "s",
	         to.id ? "to " : "unpaired", to.id ? to.login : "");
	st = store_event(db, "leave", 0, 0, 0, login, p.name, what, "", 0);
	/* A leaver can no longer act, whatever their login holds (the
	 * server's guards see a leaver as nobody); the login loses its rights
	 * too, in the same change. */
	if (st == HO_OK && db->session_login && db->eng->login_revoke)
		st = db->eng->login_revoke(db, p.login, &lost);
fail:
	if ((st = store_change_end(db, &ch, st)) == HO_OK) {
		person_refresh_actor(db);
		if (moved)
			*moved = count;
		if (revoked)
			*revoked = lost;
	}
	ho_function_free(fs, nf);
	ho_person_clear(&p);
	ho_person_clear(&to);
	return st;
}

ho_status ho_init(ho_db *db, const ho_init_opts *opts)
{
	if (!(db->flags & HO_OPEN_CREATE))
		return store_fail(db, HO_EUSAGE, "init needs a new file");
	if (!opts->login || !login_valid(opts->login))
		return store_fail(db, HO_EUSAGE,
		                  "your login '%s' cannot be used: give one with --as LOGIN",
		                  opts->login ? opts->login : "");
	char *title = NULL;
	struct store_change ch;
	const char *fallback =
	    opts->demo ? "Pharmacy, optometry and dental delegation: North West" : "Handover";
	ho_status st = store_clean_text(db, opts->title ? opts->title : fallback, HO_MAX_NAME, 1,
	                                "title", &title);
	if (st != HO_OK)
		return st;
	/* One transaction for the whole file: init either happens or not. The
	 * person who makes the file is its first lead, so nobody's role is
	 * asked before there is one. */
	if ((st = store_change_begin(db, &ch, STORE_ANYONE, "making the file")) != HO_OK)
		goto cleanup;
	/* Looked at inside the write lock: of several inits run at once on one
	 * path, the first to get here fills the file and the others find it
	 * taken. */
	if (!store_file_unused(db)) {
		st = store_fail(db, HO_EEXIST, "%s: already exists; not overwritten", db->path);
		goto fail;
	}
	eng_stmt *s = store_stmt(db, STMT_meta_set);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_text(s, ":key", "title");
	store_bind_text(s, ":value", title);
	if ((st = store_exec_stmt(db, s, "writing the title")) != HO_OK)
		goto fail;
	const char *name = opts->name ? opts->name : opts->login, *org = "";
	if (opts->demo)
		ho_demo_lead(opts->login, &name, &org);
	st = insert_person(db, opts->login, name, HO_ROLE_BIT(HO_ROLE_LEAD), org, NULL);
	if (st == HO_OK)
		st = grant_login(db, opts->login, NULL, 0, NULL);
	if (st != HO_OK)
		goto fail;
	ho_set_actor(db, opts->login);
	if ((st = store_event(db, "init", 0, 0, 0, "", "", title, "", 0)) != HO_OK)
		goto fail;
	if (opts->demo) {
		st = ho_demo_fill(db);
	} else if (!opts->empty) {
		const ho_cover none = {0}, *c = opts->cover ? opts->cover : &none;
		st = ho_handover_add_with(db, title, c->service, c->sender_org, c->receiver_org,
		                          c->target_date, c->marking, 1, NULL);
	}
fail:
	st = store_change_end(db, &ch, st);
	/* The file is ours and new: as open to the team as the umask says. */
	if (st == HO_OK)
		store_follow_umask(db->path);
cleanup:
	free(title);
	return st;
}

char *ho_file_title(ho_db *db)
{
	eng_stmt *s = store_stmt(db, STMT_meta_get);
	if (!s)
		return strdup("");
	store_bind_text(s, ":key", "title");
	char *v = eng_step(s) == ENG_ROW ? store_col_text(s, 0) : strdup("");
	eng_reset(s);
	return v;
}
