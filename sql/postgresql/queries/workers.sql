-- The worker lease (storage/postgresql/pg_worker_lease.cpp): one server at a
-- time runs the alerts' clock and webhook delivery.

-- name: take_worker_lease
-- A session-level advisory lock, held until the connection ends; its key is
-- this program's own (a bigint from the bytes of "uptimewk").
SELECT pg_try_advisory_lock(8462391695984916331);
