package dev.latchkey.identity.rest;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every word the sign-in pages show, in English; {@code messages/msg_de.properties} and {@code msg_fr.properties}
 * translate them (Qute checks at build time that each key exists here). Templates read them as {@code {msg:key}},
 * Java through {@link Pages#text()}. Texts around a highlighted value are split in a part before and after it
 * (both may be empty), so that each language can put the value where its word order needs it.
 */
@MessageBundle(value = "msg", locale = "en")
public interface PageText {

    @Message("English")
    String languageName();

    @Message("Language")
    String languageLabel();

    // ---- sign-in
    @Message("Sign in")
    String signInTitle();

    @Message("to continue to")
    String signInLeadBefore();

    @Message("")
    String signInLeadAfter();

    @Message("Email address")
    String emailLabel();

    @Message("Password")
    String passwordLabel();

    @Message("Sign in")
    String signInButton();

    @Message("or")
    String or();

    @Message("Continue with {provider}")
    String continueWith(String provider);

    // ---- organization
    @Message("Choose an organization")
    String organizationTitle();

    @Message("")
    String organizationLeadBefore();

    @Message("will act in the organization you choose.")
    String organizationLeadAfter();

    @Message("Your organizations")
    String organizationLegend();

    @Message("personal")
    String personal();

    @Message("{#when role}{#is 'owner'}owner{#is 'admin'}admin{#else}member{/when}")
    String role(String role);

    @Message("Continue")
    String continueButton();

    // ---- consent
    @Message("Allow access")
    String consentTitle();

    @Message("Allow {client}?")
    String consentHeading(String client);

    @Message("It says it runs on")
    String consentHostBefore();

    @Message(". Only allow it if you started it there yourself.")
    String consentHostAfter();

    @Message("Signed in as")
    String consentSignedInAs();

    @Message(", acting in")
    String consentActingIn();

    @Message("It will be able to:")
    String consentWillBeAbleTo();

    @Message("know who you are")
    String scopeOpenid();

    @Message("see your email address")
    String scopeEmail();

    @Message("see your name")
    String scopeProfile();

    @Message("stay signed in until you sign out (at most {hours} hours)")
    String scopeOfflineAccess(int hours);

    @Message("see your account and resend its verification mail")
    String scopeAccount();

    @Message("see where you are signed in, and sign you out there")
    String scopeSessions();

    @Message("see your organizations and, in this one, its members, invitations, API keys (never their secrets), webhooks and audit log")
    String scopeOrganizationsRead();

    @Message("change this organization with your role: its name, members, invitations and webhooks")
    String scopeOrganizationsWrite();

    @Message("create, rotate and revoke API keys with your role, which keep working after you take this access back")
    String scopeApiKeysWrite();

    @Message("call {resource} as you")
    String scopeResource(String resource);

    @Message("Allow")
    String allow();

    @Message("Deny")
    String deny();

    @Message("Not {email}?")
    String notYou(String email);

    @Message("Sign out")
    String signOut();

    // ---- device
    @Message("Connect a device")
    String deviceTitle();

    @Message("Enter the code shown on the device (for example by")
    String deviceLeadBefore();

    @Message(").")
    String deviceLeadAfter();

    @Message("Code")
    String codeLabel();

    @Message("Device connected")
    String deviceConnected();

    @Message("You can return to your device; it is signed in now.")
    String deviceConnectedText();

    @Message("Device not connected")
    String deviceNotConnected();

    @Message("You denied the request. The device was not given access.")
    String deviceDeniedText();

    @Message("This code has expired. Start again on the device.")
    String deviceExpiredText();

    // ---- messages
    @Message("Error code")
    String errorCode();

    @Message("Return to the application")
    String backToApplication();

    @Message("Signed out")
    String signedOut();

    @Message("You are signed out.")
    String signedOutText();

    @Message("Waiting for approval")
    String pendingTitle();

    @Message("Your account is waiting for an operator's approval. You can sign in again once it has been approved.")
    String pendingText();

    @Message("This form has expired")
    String csrfTitle();

    @Message("The form was not sent from this browser's sign-in page (missing or wrong CSRF token). Start again from the application.")
    String csrfText();

    @Message("Something went wrong")
    String failedTitle();

    @Message("This sign-in cannot continue")
    String refusedTitle();

    @Message("This sign-in link is not valid")
    String invalidLinkTitle();

    @Message("Unknown provider")
    String unknownProviderTitle();

    @Message("This sign-in provider is not configured.")
    String unknownProviderText();

    @Message("This sign-in did not start here")
    String foreignUpstreamTitle();

    @Message("The sign-in with {provider} was cancelled or refused.")
    String upstreamCancelled(String provider);

    // ---- refusals by error code (the English text of others comes from where they were refused)
    @Message("The email address or the password is not right.")
    String errorInvalidCredentials();

    @Message("Too many attempts. Wait {seconds} seconds, then try again.")
    String errorRateLimited(long seconds);

    @Message("This account is disabled.")
    String errorAccountDisabled();

    @Message("Confirm your email address first: follow the link in the mail we sent you.")
    String errorEmailNotVerified();

    @Message("This code is not right. Check it on the device and type it again.")
    String errorInvalidUserCode();

    // ---- mail links
    @Message("Confirm your email address")
    String verifyTitle();

    @Message("Confirm that {email} is your address.")
    String verifyLead(String email);

    @Message("Confirm")
    String verifyButton();

    @Message("Email address confirmed")
    String verifiedTitle();

    @Message("Thank you: {email} is confirmed. You can close this page and sign in.")
    String verifiedText(String email);

    @Message("Choose a new password")
    String resetTitle();

    @Message("For {email}. Every session of the account will end; this browser stays signed in.")
    String resetLead(String email);

    @Message("New password")
    String newPasswordLabel();

    @Message("Repeat the new password")
    String newPasswordAgainLabel();

    @Message("At least {minLength} characters, not your email address, not a common password. A phrase of unrelated words works well.")
    String passwordPolicy(int minLength);

    @Message("Change the password")
    String resetButton();

    @Message("The two passwords are not the same.")
    String passwordsDiffer();

    @Message("Password changed")
    String resetDoneTitle();

    @Message("Your password is changed and you are signed in in this browser. {ended} other session(s) ended.")
    String resetDoneText(int ended);

    @Message("Your password is changed. Your account still waits for an operator's approval.")
    String resetDonePendingText();

    @Message("This link was already used")
    String linkUsedTitle();

    @Message("This link has expired")
    String linkExpiredTitle();

    @Message("This link is not valid")
    String linkInvalidTitle();

    @Message("Links in our mails work once and for a limited time. Enter your email address and we will send you a new one.")
    String linkStaleText();

    @Message("Send a new link")
    String sendNewLink();

    @Message("Check your mail")
    String linkSentTitle();

    @Message("If {email} has an account that needs it, a new link is on its way. It works once.")
    String linkSentText(String email);

    // ---- sign-up and forgotten passwords
    @Message("Create an account")
    String signUpTitle();

    @Message("Name")
    String nameLabel();

    @Message("Create the account")
    String signUpButton();

    @Message("Already have an account? Sign in")
    String haveAccount();

    @Message("Create an account")
    String createAccount();

    @Message("Forgot your password?")
    String forgotPassword();

    @Message("Enter the email address of your account and we will send you a link to choose a new password.")
    String forgotText();

    @Message("We sent a link to {email}. Open it in this browser to confirm your address and continue to {client}.")
    String signUpSentText(String email, String client);

    @Message("Sign-ups with this email address are not open.")
    String errorEmailNotAllowed();

    // ---- the password policy's refusals
    @Message("Enter a password.")
    String passwordRequired();

    @Message("The password must be at least {n} characters long.")
    String passwordTooShort(int n);

    @Message("The password must be at most {n} characters long.")
    String passwordTooLong(int n);

    @Message("This password is on a list of common or breached passwords; choose another.")
    String passwordDenied();

    @Message("The password must not contain your email address.")
    String passwordContainsEmail();

    @Message("This password is too easy to guess; a longer phrase of unrelated words works well.")
    String passwordTooGuessable();
}
