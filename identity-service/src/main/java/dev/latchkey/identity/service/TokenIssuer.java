package dev.latchkey.identity.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.latchkey.identity.config.IdentityConfig;
import dev.latchkey.identity.token.TokenRequest;
import dev.latchkey.identity.token.TokenSigner;
import dev.latchkey.identity.token.TokenSigner.SignedToken;

/** Signs tokens with the current active key. */
@ApplicationScoped
public class TokenIssuer {

    private final TokenSigner signer;
    private final SigningKeyService keys;

    public TokenIssuer(IdentityConfig config, SigningKeyService keys) {
        this.signer = new TokenSigner(config.issuer(), config.audience());
        this.keys = keys;
    }

    public SignedToken issue(TokenRequest request) {
        return issue(request, Instant.now());
    }

    /** Signs as of {@code now}: for a caller that derived the lifetime from that same instant. */
    public SignedToken issue(TokenRequest request, Instant now) {
        return signer.sign(request, keys.activeKey(), now);
    }
}
