// A safe Swift layer over libpq.
