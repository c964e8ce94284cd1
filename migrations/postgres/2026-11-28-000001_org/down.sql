DROP TABLE audit_log;
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE role_grants;
DROP TABLE accounts;
DROP TABLE people;
DROP TABLE units;
