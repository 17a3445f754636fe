package dev.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.TryCatchBlock;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 10, finding 4: code running inside a transaction caught a refusal ({@code LastAdminException}, an invitation
 * that was gone) thrown by a {@code @Transactional} service it called. Spring had marked the shared transaction
 * rollback-only by then, and the commit failed with a 500. The rule: a call that may refuse is asked first (an
 * outcome or an Optional), never caught. This test reads the compiled classes: code that runs inside a transaction
 * (a {@code @Transactional} class or method, and everything such code calls, through interfaces too) must not wrap a
 * call into another {@code @Transactional} class or method in a catch of an unchecked exception. Controllers,
 * filters and start-up work are not in a transaction when they call a service, and may show or log its refusal.
 */
class RefusalsAreNotCaughtInsideTransactionsTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.roster");

    @Test
    void noCodeInsideATransactionCatchesARefusalOfATransactionalCall() {
        Set<JavaClass> inside = insideTransactions();
        List<String> found = new ArrayList<>();
        for (JavaClass caller : inside) {
            for (JavaCodeUnit unit : caller.getCodeUnits()) {
                for (TryCatchBlock block : unit.getTryCatchBlocks()) {
                    boolean catchesUnchecked = block.getCaughtThrowables().stream()
                            .anyMatch(type -> type.isAssignableTo(RuntimeException.class));
                    if (!catchesUnchecked) {
                        continue;
                    }
                    for (JavaAccess<?> access : block.getAccessesContainedInTryBlock()) {
                        if (access instanceof JavaMethodCall call && transactional(caller, call)) {
                            found.add(unit.getFullName() + " catches " + block.getCaughtThrowables().stream()
                                    .map(JavaClass::getSimpleName).toList() + " around " + call.getTarget().getFullName());
                        }
                    }
                }
            }
        }
        assertThat(found).as("ask before the call instead (an outcome or an Optional), see docs/architecture.md")
                .isEmpty();
    }

    @Test
    void theRuleSeesTheCallersThatCaughtRefusalsBefore() {
        // The classes where issue 10 found the pattern must be seen as running inside a transaction, or the rule
        // above would pass without looking at them.
        assertThat(insideTransactions()).extracting(JavaClass::getName).contains("dev.roster.sso.saml.SsoSignIn",
                "dev.roster.scim.provisioning.TeamSync", "dev.roster.invitation.SsoInvitations",
                "dev.roster.scim.provisioning.UserLifecycle");
    }

    /** Classes with transactional code, and every class of Roster's that such code calls (transitively). */
    private static Set<JavaClass> insideTransactions() {
        Set<JavaClass> inside = new HashSet<>();
        Deque<JavaClass> todo = new ArrayDeque<>();
        for (JavaClass type : CLASSES) {
            if (type.isAnnotatedWith(Transactional.class)
                    || type.getMethods().stream().anyMatch(m -> m.isAnnotatedWith(Transactional.class))) {
                todo.add(type);
            }
        }
        while (!todo.isEmpty()) {
            JavaClass type = todo.pop();
            if (!inside.add(type) || isController(type)) {
                continue;
            }
            for (JavaMethodCall call : type.getMethodCallsFromSelf()) {
                JavaClass target = call.getTargetOwner();
                if (!target.getPackageName().startsWith("dev.roster")) {
                    continue;
                }
                todo.add(target);
                // A call through an interface reaches its implementations (SsoInvitationHandler, say).
                todo.addAll(target.getAllSubclasses());
            }
        }
        inside.removeIf(RefusalsAreNotCaughtInsideTransactionsTest::isController);
        return inside;
    }

    private static boolean transactional(JavaClass caller, JavaMethodCall call) {
        JavaClass owner = call.getTargetOwner();
        if (owner.equals(caller) || !owner.getPackageName().startsWith("dev.roster")) {
            return false;
        }
        return owner.isAnnotatedWith(Transactional.class)
                || call.getTarget().resolveMember().map(m -> m.isAnnotatedWith(Transactional.class)).orElse(false);
    }

    private static boolean isController(JavaClass type) {
        return type.isAnnotatedWith(Controller.class) || type.isAnnotatedWith(RestController.class);
    }
}
