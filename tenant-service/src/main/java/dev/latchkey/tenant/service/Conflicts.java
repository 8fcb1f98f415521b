package dev.latchkey.tenant.service;

import java.sql.SQLException;

import org.hibernate.exception.ConstraintViolationException;

import io.vertx.pgclient.PgException;

/** Recognises PostgreSQL's unique violations (SQLSTATE 23505) behind whatever wraps them. */
final class Conflicts {

    private static final String UNIQUE_VIOLATION = "23505";

    private Conflicts() {
    }

    /** Whether {@code failure} is a unique violation of {@code constraint} (an index or constraint name). */
    static boolean uniqueViolation(Throwable failure, String constraint) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                    && constraint.equals(pg.getConstraint())) {
                return true;
            }
            // Hibernate Reactive reports the driver's error as an SQLException whose message names the constraint.
            if (e instanceof ConstraintViolationException violation && violation.getConstraintName() != null
                    && violation.getConstraintName().endsWith(constraint)) {
                return true;
            }
            if (e instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState()) && sql.getMessage() != null
                    && sql.getMessage().contains("\"" + constraint + "\"")) {
                return true;
            }
        }
        return false;
    }
}
