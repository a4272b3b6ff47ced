-- The live-event sequencer (apps/api/src/live/sequencer.ts) as one statement: a VOLATILE function
-- takes a fresh snapshot for each statement it runs, so the UPDATE below sees every event committed
-- before the lock was granted, exactly as the former BEGIN; lock; UPDATE; COMMIT did in four round
-- trips. Returns how many events it numbered and the newest position.
CREATE FUNCTION sabor_sequence_live_events(batch_limit integer, lock_key bigint)
RETURNS TABLE (numbered integer, last_position bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  count integer;
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  WITH batch AS (
    SELECT id, row_number() OVER (ORDER BY id) AS rank
    FROM live_events
    WHERE position IS NULL
    ORDER BY id
    LIMIT batch_limit
  ), top AS (
    SELECT coalesce(max(position), 0) AS last FROM live_events
  )
  UPDATE live_events SET position = top.last + batch.rank
  FROM batch, top
  WHERE live_events.id = batch.id;
  GET DIAGNOSTICS count = ROW_COUNT;
  RETURN QUERY SELECT count, coalesce(max(live_events.position), 0) FROM live_events;
END
$$;
