package dev.latchkey.apikey.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.latchkey.apikey.config.ApiKeyConfig;
import dev.latchkey.apikey.secret.KeyHasher;

/** The pepper configuration as a {@link KeyHasher}; a pepper that is too short stops the service at start-up. */
@ApplicationScoped
public class Peppers {

    @Produces
    @Singleton
    KeyHasher hasher(ApiKeyConfig config) {
        return new KeyHasher(config.pepper(), config.previousPeppers().orElse(List.of()));
    }
}
