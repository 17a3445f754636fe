package dev.roster.sso.saml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.schema.XSAny;
import org.opensaml.core.xml.schema.XSString;
import org.opensaml.core.xml.schema.XSURI;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.NameIDType;

import dev.roster.shared.EmailAddress;
import dev.roster.sso.connection.AttributeMapping;

/**
 * Who the IdP says signed in, read through the connection's attribute mapping.
 *
 * @param subject the stable identifier that links the person to an account on later logins
 * @param groups the group claim values; empty when the IdP sent none, and {@code groupsOverage} when Entra sent a
 *               link to Graph instead because the person is in too many groups
 */
public record AssertedIdentity(String subject, String nameId, String nameIdFormat, EmailAddress email, String displayName,
                        Set<String> groups, boolean groupsOverage, boolean groupsClaimPresent, String sessionIndex) {

    /** Why an assertion cannot identify anyone; shown to the person and audited. */
    static final class Unidentifiable extends RuntimeException {
        Unidentifiable(String message) {
            super(message);
        }
    }

    public static AssertedIdentity from(Assertion assertion, AttributeMapping mapping) {
        NameID nameId = assertion.getSubject() == null ? null : assertion.getSubject().getNameID();
        String nameIdValue = nameId == null ? null : trim(nameId.getValue());
        String format = nameId == null || nameId.getFormat() == null ? NameIDType.UNSPECIFIED : nameId.getFormat();
        EmailAddress email = null;
        for (String attribute : mapping.emailAttributes()) {
            email = first(assertion, attribute).flatMap(EmailAddress::parse).orElse(null);
            if (email != null) {
                break;
            }
        }
        if (email == null && NameIDType.EMAIL.equals(format) && nameIdValue != null) {
            email = EmailAddress.parse(nameIdValue).orElse(null);
        }
        if (email == null) {
            throw new Unidentifiable("The identity provider sent no email address (attribute " + mapping.email()
                    + ", or an emailAddress NameID).");
        }
        String subject = mapping.subject() == null ? null : first(assertion, mapping.subject()).orElse(null);
        if (subject == null && nameIdValue != null && !NameIDType.TRANSIENT.equals(format)) {
            subject = "nameid:" + nameIdValue;
        }
        if (subject == null) {
            // A transient NameID changes at every login: the (verified) address is the only stable key left.
            subject = "email:" + email.normalized();
        }
        String displayName = first(assertion, mapping.displayName()).orElse(null);
        if (displayName == null) {
            String name = (first(assertion, mapping.firstName()).orElse("") + " "
                    + first(assertion, mapping.lastName()).orElse("")).trim();
            displayName = name.isEmpty() ? email.value().substring(0, email.value().indexOf('@')) : name;
        }
        Set<String> groups = new LinkedHashSet<>(values(assertion, mapping.groups()));
        boolean groupsClaimPresent = has(assertion, mapping.groups());
        boolean overage = mapping.groupsOverage() != null && has(assertion, mapping.groupsOverage());
        String sessionIndex = assertion.getAuthnStatements().stream().map(AuthnStatement::getSessionIndex)
                .filter(s -> s != null && !s.isBlank()).findFirst().orElse(null);
        return new AssertedIdentity(subject.length() > 512 ? subject.substring(0, 512) : subject, nameIdValue, format,
                email, displayName.length() > 200 ? displayName.substring(0, 200) : displayName, Set.copyOf(groups),
                overage, groupsClaimPresent, sessionIndex);
    }

    AssertedIdentity withGroups(Set<String> resolved) {
        return new AssertedIdentity(subject, nameId, nameIdFormat, email, displayName, Set.copyOf(resolved), false,
                true, sessionIndex);
    }

    /** The Entra object id, for Graph look-ups. */
    public String objectId() {
        return subject.startsWith("nameid:") || subject.startsWith("email:") ? null : subject;
    }

    /** Every attribute of the assertion by name, with its values as text, in the order the IdP sent them. */
    static Map<String, List<String>> allAttributes(Assertion assertion) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (AttributeStatement statement : assertion.getAttributeStatements()) {
            for (Attribute attribute : statement.getAttributes()) {
                if (attribute.getName() != null && !all.containsKey(attribute.getName())) {
                    all.put(attribute.getName(), values(assertion, attribute.getName()));
                }
            }
        }
        return all;
    }

    private static boolean has(Assertion assertion, String name) {
        return !attributes(assertion, name).isEmpty();
    }

    private static Optional<String> first(Assertion assertion, String name) {
        return values(assertion, name).stream().findFirst();
    }

    private static List<String> values(Assertion assertion, String name) {
        List<String> values = new ArrayList<>();
        for (Attribute attribute : attributes(assertion, name)) {
            for (XMLObject value : attribute.getAttributeValues()) {
                String text = value instanceof XSString s ? s.getValue()
                        : value instanceof XSURI u ? u.getURI()
                        : value instanceof XSAny a ? a.getTextContent() : null;
                text = trim(text);
                if (text != null) {
                    values.add(text);
                }
            }
        }
        return values;
    }

    private static List<Attribute> attributes(Assertion assertion, String name) {
        List<Attribute> found = new ArrayList<>();
        if (name == null) {
            return found;
        }
        for (AttributeStatement statement : assertion.getAttributeStatements()) {
            for (Attribute attribute : statement.getAttributes()) {
                if (name.equals(attribute.getName()) || name.equals(attribute.getFriendlyName())) {
                    found.add(attribute);
                }
            }
        }
        return found;
    }

    private static String trim(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
