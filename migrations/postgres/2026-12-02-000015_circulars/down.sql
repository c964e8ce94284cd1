DROP TABLE circular_units;
DROP TABLE circular_files;
DROP TABLE circular_fields;
DROP TABLE circulars;
