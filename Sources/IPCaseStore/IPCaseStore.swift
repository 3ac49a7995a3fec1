// Persistence of the IPCase domain over PostgreSQL.
