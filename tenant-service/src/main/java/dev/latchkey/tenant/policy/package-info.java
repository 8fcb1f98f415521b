/**
 * The sharp rules of tenant-service, with no Quarkus imports so that plain JUnit tests them: which permission a
 * membership change needs and when it would leave an organization without an owner, invitation tokens, slugs,
 * e-mail normalisation, which client address the audit log may believe, and opaque paging cursors. The
 * permission table itself is latchkey-common's {@code dev.latchkey.common.rbac}, shared by every service.
 */
package dev.latchkey.tenant.policy;
