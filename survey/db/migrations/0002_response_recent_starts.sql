-- Respondent forms: count the responses a wave started in the last minute (the per-wave rate limit of
-- survey.collect.ratelimit) by reading a few index entries instead of every response of the wave.
CREATE INDEX response_wave_started ON response (wave_id, started_at);
