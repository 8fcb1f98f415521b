-- Refresh tokens all name their session (SessionRefreshTokens, V12): the table of the first form, one row per
-- random token, has no reader left. No release ever issued that form.
drop table identity.refresh_tokens;
