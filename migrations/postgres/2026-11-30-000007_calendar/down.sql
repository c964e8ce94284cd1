DROP TABLE calendar_years;
DROP TABLE calendar_days;
