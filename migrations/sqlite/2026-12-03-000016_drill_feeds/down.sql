DROP TABLE drill_teams;
DROP TABLE drill_feeds;
