-- RFC 8707 resource indicators (issue 23): the resource servers a client may ask tokens for (absolute URIs,
-- newline-separated; none by default: its tokens are then for Latchkey's own audience only), and what each step
-- of a grant asked for: the authorization request, its code, and the grant itself (a refresh may ask for any of
-- these, one per token).
alter table identity.oauth_clients add column resources text not null default '';
alter table identity.authorization_requests add column resources text;
alter table identity.authorization_codes add column resources text;
alter table identity.oauth_sessions add column resources text;

-- The organization the person chose on the pages is part of the grant: every refresh issues tokens for it, and
-- none once the person is no longer a member. Grants made before this column read their session's organization.
alter table identity.oauth_sessions add column organization_id uuid;
update identity.oauth_sessions g set organization_id = s.organization_id
  from identity.sessions s where s.id = g.session_id;
