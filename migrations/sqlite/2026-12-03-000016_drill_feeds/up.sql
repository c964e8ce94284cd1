-- Calendar subscriptions (日历订阅) of drills: a secret address per feed, kept only as the SHA-256 of its secret.
-- A feed shows what its maker's account may see at the time it is fetched; revoking it ends it at once.
CREATE TABLE drill_feeds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX drill_feeds_maker ON drill_feeds (created_by);

-- The rescue teams (救援队伍) a drill's scheme names as taking part, from the teams area; outside participants
-- stay in the scheme's free text.
CREATE TABLE drill_teams (
    drill_id BIGINT NOT NULL REFERENCES drills (id),
    team_id BIGINT NOT NULL REFERENCES teams (id),
    PRIMARY KEY (drill_id, team_id)
);
CREATE INDEX drill_teams_team ON drill_teams (team_id);
