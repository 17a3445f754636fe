package dev.roster.security;

import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.OrgAccess;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.ForbiddenException;
import dev.roster.shared.MemberAccess;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OperatorAccess;
import dev.roster.shared.OrgContext;
import dev.roster.shared.RosterUser;
import dev.roster.twofactor.TwoFactorService;

/**
 * Resolves the organization of every request whose path has a {@code {slug}} and checks the caller's membership as
 * it is in the database right now. Admin-only unless the handler says {@link MemberAccess}.
 */
class OrgAccessInterceptor implements HandlerInterceptor {

    static final String ATTRIBUTE = OrgContext.class.getName();

    private final MemberReads members;
    private final TwoFactorService twoFactor;

    OrgAccessInterceptor(MemberReads members, TwoFactorService twoFactor) {
        this.members = members;
        this.twoFactor = twoFactor;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request
                .getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String slug = variables == null ? null : variables.get("slug");
        OperatorAccess operatorAccess = operatorAccess(method);
        if (isOperator()) {
            // The operator token opens the operator API and nothing else, whatever the filter chain's rules say.
            if (operatorAccess == null) {
                throw new ForbiddenException("operator-not-allowed",
                        "The operator token opens only the operator API; use a personal API token for this.");
            }
            if (slug != null && !operatorAccess.exclusive()) {
                OrgAccess org = members.access(slug, null)
                        .orElseThrow(() -> new NotFoundException("Organization not found."));
                request.setAttribute(ATTRIBUTE, new OrgContext(org.organizationId(), org.slug(), org.organizationName(),
                        null, null, Actor.operator().label(), true, Channel.API));
            }
            return true;
        }
        if (operatorAccess != null && operatorAccess.exclusive()) {
            throw new ForbiddenException("operator-required", "Only the operator can do this: send the operator token "
                    + "(ROSTER_OPERATOR_TOKEN). An organization admin's API token is not one.");
        }
        if (slug == null) {
            return true;
        }
        RosterUser user = currentUser().orElseThrow(() -> new ForbiddenException("Sign in first."));
        OrgAccess access = members.access(slug, user.accountId())
                .orElseThrow(() -> new NotFoundException("Organization not found."));
        if (access.membershipId() == null) {
            throw new NotFoundException("Organization not found.");
        }
        if (access.status() != MembershipStatus.ACTIVE) {
            throw new ForbiddenException("not-a-member", "You are not an active member of this organization.");
        }
        if (access.requireTwoFactor() && !twoFactor.isEnrolled(user.accountId())) {
            throw new ForbiddenException("two-factor-required",
                    "This organization requires two-factor authentication. Turn it on for your account first.");
        }
        boolean membersMayCall = method.hasMethodAnnotation(MemberAccess.class)
                || AnnotatedElementUtils.hasAnnotation(method.getBeanType(), MemberAccess.class);
        if (!access.admin() && !membersMayCall) {
            throw new ForbiddenException("admin-required", "Only admins of this organization can do this.");
        }
        Channel channel = request.getRequestURI().startsWith(request.getContextPath() + "/api/") ? Channel.API : Channel.UI;
        request.setAttribute(ATTRIBUTE, new OrgContext(access.organizationId(), access.slug(), access.organizationName(),
                access.membershipId(), user.accountId(), user.email(), access.admin(), channel));
        return true;
    }

    private static OperatorAccess operatorAccess(HandlerMethod method) {
        OperatorAccess onMethod = method.getMethodAnnotation(OperatorAccess.class);
        return onMethod != null ? onMethod
                : AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), OperatorAccess.class);
    }

    private static boolean isOperator() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() == OperatorPrincipal.INSTANCE;
    }

    private static Optional<RosterUser> currentUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof RosterUser user) {
            return Optional.of(user);
        }
        return Optional.empty();
    }
}
