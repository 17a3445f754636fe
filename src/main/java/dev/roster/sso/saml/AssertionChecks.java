package dev.roster.sso.saml;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.namespace.QName;

import org.opensaml.saml.common.assertion.ValidationContext;
import org.opensaml.saml.common.assertion.ValidationResult;
import org.opensaml.saml.saml2.assertion.ConditionValidator;
import org.opensaml.saml.saml2.assertion.SAML20AssertionValidator;
import org.opensaml.saml.saml2.assertion.SAML2AssertionValidationParameters;
import org.opensaml.saml.saml2.assertion.impl.AudienceRestrictionConditionValidator;
import org.opensaml.saml.saml2.assertion.impl.BearerSubjectConfirmationValidator;
import org.opensaml.saml.saml2.assertion.impl.DelegationRestrictionConditionValidator;
import org.opensaml.saml.saml2.assertion.impl.ProxyRestrictionConditionValidator;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Condition;
import org.opensaml.saml.saml2.core.OneTimeUse;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.saml2.core.Saml2Error;
import org.springframework.security.saml2.core.Saml2ErrorCodes;
import org.springframework.security.saml2.core.Saml2ResponseValidatorResult;
import org.springframework.security.saml2.provider.service.authentication.AbstractSaml2AuthenticationRequest;
import org.springframework.security.saml2.provider.service.authentication.OpenSaml4AuthenticationProvider.AssertionToken;
import org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistration;
import org.springframework.util.StringUtils;

/**
 * Validates each assertion the way Spring Security's default assertion validator does (audience, time conditions with
 * a small clock skew, bearer subject confirmation: recipient, NotOnOrAfter, InResponseTo; issuer), built with the
 * {@link SAML20AssertionValidator} constructor that OpenSAML 4.0.1 has. Spring's default calls a constructor that
 * only later OpenSAML releases have and fails with {@code NoSuchMethodError} (see docs/decisions/0002-opensaml-4.md).
 * <p>
 * Stricter than the default in three ways: an assertion must name its audience (an AudienceRestriction), a bearer
 * confirmation must carry a Recipient and a NotOnOrAfter, and an assertion that claims to answer a request must answer
 * the request this browser made. The signature itself is verified before this runs, against the connection's trusted
 * certificates, by Spring's signature validator.
 */
final class AssertionChecks implements Converter<AssertionToken, Saml2ResponseValidatorResult> {

    private final Duration clockSkew;
    private final SAML20AssertionValidator validator;

    AssertionChecks(Duration clockSkew) {
        this.clockSkew = clockSkew;
        List<ConditionValidator> conditions = List.of(new AudienceRestrictionConditionValidator(),
                new DelegationRestrictionConditionValidator(), new ProxyRestrictionConditionValidator(),
                new OneTimeUseAccepted());
        // The 4.0.1 constructor: (conditions, subject confirmations, statements, trust engine, prevalidator). No trust
        // engine: signatures are verified by the step before, so validateSignature below only confirms that.
        this.validator = new SAML20AssertionValidator(conditions, List.of(new BearerSubjectConfirmationValidator()),
                List.of(), null, null) {
            @Override
            protected ValidationResult validateSignature(Assertion token, ValidationContext context) {
                return ValidationResult.VALID;
            }
        };
    }

    @Override
    public Saml2ResponseValidatorResult convert(AssertionToken token) {
        Assertion assertion = token.getAssertion();
        RelyingPartyRegistration registration = token.getToken().getRelyingPartyRegistration();
        AbstractSaml2AuthenticationRequest request = token.getToken().getAuthenticationRequest();
        if (assertion.getConditions() == null || assertion.getConditions().getAudienceRestrictions().isEmpty()) {
            return failure(Saml2ErrorCodes.INVALID_ASSERTION, assertion, "it names no audience (AudienceRestriction)");
        }
        String claimedRequest = inResponseTo(assertion);
        if (request == null && claimedRequest != null) {
            return failure(Saml2ErrorCodes.INVALID_IN_RESPONSE_TO, assertion, "it answers request [" + claimedRequest
                    + "], which this browser did not make or which was already answered");
        }
        Map<String, Object> params = new HashMap<>();
        params.put(SAML2AssertionValidationParameters.CLOCK_SKEW, clockSkew);
        params.put(SAML2AssertionValidationParameters.COND_VALID_AUDIENCES, Set.of(registration.getEntityId()));
        params.put(SAML2AssertionValidationParameters.SC_VALID_RECIPIENTS,
                Set.of(registration.getAssertionConsumerServiceLocation()));
        params.put(SAML2AssertionValidationParameters.VALID_ISSUERS,
                Set.of(registration.getAssertingPartyMetadata().getEntityId()));
        params.put(SAML2AssertionValidationParameters.SIGNATURE_REQUIRED, false);
        params.put(SAML2AssertionValidationParameters.SC_RECIPIENT_REQUIRED, true);
        params.put(SAML2AssertionValidationParameters.SC_NOT_ON_OR_AFTER_REQUIRED, true);
        // The client's address is not checked: behind proxies and NAT it rarely matches what the IdP saw.
        params.put(SAML2AssertionValidationParameters.SC_CHECK_ADDRESS, false);
        params.put(SAML2AssertionValidationParameters.SC_ADDRESS_REQUIRED, false);
        if (request != null) {
            params.put(SAML2AssertionValidationParameters.SC_VALID_IN_RESPONSE_TO, request.getId());
            params.put(SAML2AssertionValidationParameters.SC_IN_RESPONSE_TO_REQUIRED, true);
        }
        ValidationContext context = new ValidationContext(params);
        try {
            if (validator.validate(assertion, context) == ValidationResult.VALID) {
                return Saml2ResponseValidatorResult.success();
            }
        }
        catch (Exception ex) {
            return failure(Saml2ErrorCodes.INVALID_ASSERTION, assertion, ex.getMessage());
        }
        String why = context.getValidationFailureMessage();
        if (why != null && why.startsWith("No subject confirmation methods were met")) {
            why = why + " (" + explainConfirmations(assertion, registration, request) + ")";
        }
        return failure(Saml2ErrorCodes.INVALID_ASSERTION, assertion, why);
    }

    /**
     * OpenSAML reports only that no subject confirmation was met; admins and the audit log need to know which part
     * failed, so the bearer confirmations are described one by one.
     */
    private String explainConfirmations(Assertion assertion, RelyingPartyRegistration registration,
                                        AbstractSaml2AuthenticationRequest request) {
        List<String> reasons = new java.util.ArrayList<>();
        // OpenSAML 4.0.1 judges time conditions by the system clock, not Roster's Clock; explain with the same one.
        java.time.Instant now = java.time.Instant.now();
        for (SubjectConfirmation confirmation : assertion.getSubject() == null ? List.<SubjectConfirmation>of()
                : assertion.getSubject().getSubjectConfirmations()) {
            if (!SubjectConfirmation.METHOD_BEARER.equals(confirmation.getMethod())) {
                reasons.add("method " + confirmation.getMethod() + " is not bearer");
                continue;
            }
            var data = confirmation.getSubjectConfirmationData();
            if (data == null) {
                reasons.add("bearer confirmation without SubjectConfirmationData");
                continue;
            }
            if (data.getRecipient() == null
                    || !data.getRecipient().equals(registration.getAssertionConsumerServiceLocation())) {
                reasons.add("recipient " + data.getRecipient() + " is not this connection's ACS");
            }
            if (data.getNotOnOrAfter() == null) {
                reasons.add("no NotOnOrAfter");
            }
            else if (!data.getNotOnOrAfter().plus(clockSkew).isAfter(now)) {
                reasons.add("NotOnOrAfter " + data.getNotOnOrAfter() + " has passed");
            }
            if (data.getNotBefore() != null && data.getNotBefore().minus(clockSkew).isAfter(now)) {
                reasons.add("NotBefore " + data.getNotBefore() + " is in the future");
            }
            if (request != null && !request.getId().equals(data.getInResponseTo())) {
                reasons.add("InResponseTo " + data.getInResponseTo() + " is not request " + request.getId());
            }
        }
        return reasons.isEmpty() ? "no bearer subject confirmation" : String.join("; ", reasons);
    }

    private static String inResponseTo(Assertion assertion) {
        if (assertion.getSubject() == null) {
            return null;
        }
        for (SubjectConfirmation confirmation : assertion.getSubject().getSubjectConfirmations()) {
            if (confirmation.getSubjectConfirmationData() != null
                    && StringUtils.hasText(confirmation.getSubjectConfirmationData().getInResponseTo())) {
                return confirmation.getSubjectConfirmationData().getInResponseTo();
            }
        }
        return null;
    }

    private static Saml2ResponseValidatorResult failure(String code, Assertion assertion, String why) {
        return Saml2ResponseValidatorResult.failure(new Saml2Error(code,
                "Invalid assertion [" + assertion.getID() + "]: " + why));
    }

    /** OneTimeUse is honoured for every assertion anyway: assertion IDs go into the replay cache. */
    private static final class OneTimeUseAccepted implements ConditionValidator {

        @Override
        public QName getServicedCondition() {
            return OneTimeUse.DEFAULT_ELEMENT_NAME;
        }

        @Override
        public ValidationResult validate(Condition condition, Assertion assertion, ValidationContext context) {
            return ValidationResult.VALID;
        }
    }
}
