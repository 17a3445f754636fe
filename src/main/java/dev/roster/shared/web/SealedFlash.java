package dev.roster.shared.web;

import java.io.Serializable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.shared.SecretCipher;

/**
 * Post/redirect/get for forms that create a secret shown once (an API token, a SCIM token, a webhook secret): the
 * secret travels to the page after the redirect as a flash attribute, which lives in the session, and sessions live in
 * the database. So it travels encrypted with {@link SecretCipher} and is decrypted into the model of that one next
 * page; a refresh of the page shows nothing again and creates nothing again.
 */
@ControllerAdvice(annotations = Controller.class)
public class SealedFlash {

    /** A flash attribute's value, encrypted. */
    record Sealed(String ciphertext) implements Serializable {
    }

    private final SecretCipher cipher;

    SealedFlash(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** Carries {@code secret} to the page the redirect leads to, as model attribute {@code name}. */
    public void put(RedirectAttributes redirect, String name, String secret) {
        redirect.addFlashAttribute(name, new Sealed(cipher.encrypt(secret)));
    }

    /** Runs before every page handler: flash attributes are in the model by then. */
    @ModelAttribute
    void unseal(Model model) {
        model.asMap().replaceAll((name, value) -> value instanceof Sealed sealed ? cipher.decrypt(sealed.ciphertext())
                : value);
    }
}
