package dev.roster.shared.web;

import java.io.Serializable;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.FlashMapManager;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.SessionFlashMapManager;

import dev.roster.shared.SecretCipher;

/**
 * Post/redirect/get for forms that create a secret shown once (an API token, a SCIM token, a webhook secret): the
 * secret travels to the page after the redirect as a flash attribute, which lives in the session, and sessions live in
 * the database. So it travels encrypted with {@link SecretCipher} and is decrypted into the model of that one next
 * page; a refresh of the page shows nothing again and creates nothing again.
 *
 * <p>It is the application's flash map manager (the session's, as Spring MVC's default), and unseals when the next
 * request takes the flash attributes out of the session, before they reach its model. It used to unseal in a
 * {@code @ModelAttribute} method of a controller advice, which Spring MVC evaluated for every handler, SCIM's
 * included (about 3 % of a SCIM request's CPU, docs/benchmarks.md).
 */
@Component(DispatcherServlet.FLASH_MAP_MANAGER_BEAN_NAME)
public class SealedFlash implements FlashMapManager {

    /** A flash attribute's value, encrypted. */
    record Sealed(String ciphertext) implements Serializable {
    }

    private final SecretCipher cipher;
    private final FlashMapManager session = new SessionFlashMapManager();

    SealedFlash(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** Carries {@code secret} to the page the redirect leads to, as model attribute {@code name}. */
    public void put(RedirectAttributes redirect, String name, String secret) {
        redirect.addFlashAttribute(name, new Sealed(cipher.encrypt(secret)));
    }

    /** The flash attributes for this request, if the request before redirected here; secrets decrypted. */
    @Override
    public FlashMap retrieveAndUpdate(HttpServletRequest request, HttpServletResponse response) {
        FlashMap stored = session.retrieveAndUpdate(request, response);
        if (stored == null) {
            return null;
        }
        // A copy: the decrypted secrets live in this request only, never in the session's maps.
        FlashMap flash = new FlashMap();
        stored.forEach((name, value) -> flash.put(name, value instanceof Sealed sealed
                ? cipher.decrypt(sealed.ciphertext()) : value));
        return flash;
    }

    @Override
    public void saveOutputFlashMap(FlashMap flashMap, HttpServletRequest request, HttpServletResponse response) {
        session.saveOutputFlashMap(flashMap, request, response);
    }
}
