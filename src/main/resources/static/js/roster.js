// Roster's only page script, loaded on every page. Everything here is an enhancement: without it forms still post,
// destructive actions show a confirmation page, and menus open and close as plain <details>.
(function () {
    'use strict';

    // htmx requests carry the CSRF token in a header too (forms also carry it as a field).
    document.addEventListener('htmx:configRequest', function (event) {
        var header = document.querySelector('meta[name="csrf-header"]');
        var token = document.querySelector('meta[name="csrf-token"]');
        if (header && token) {
            event.detail.headers[header.content] = token.content;
        }
    });

    // A session that ended meanwhile answers an htmx request with the sign-in page: show it as a page, not inside
    // the list that asked.
    document.addEventListener('htmx:beforeSwap', function (event) {
        var url = event.detail.xhr && event.detail.xhr.responseURL;
        if (url && new URL(url).pathname === '/login') {
            event.detail.shouldSwap = false;
            window.location.assign(url);
        }
    });

    // On a phone the tabs are one row that scrolls sideways: show the current one.
    var currentTab = document.querySelector('.tabs [aria-current]');
    if (currentTab && currentTab.parentElement.scrollWidth > currentTab.parentElement.clientWidth) {
        currentTab.parentElement.scrollLeft = currentTab.offsetLeft - currentTab.parentElement.offsetLeft
            - (currentTab.parentElement.clientWidth - currentTab.offsetWidth) / 2;
    }

    // Menus (<details> in the header): Escape closes and returns focus, a click elsewhere closes, and opening one
    // closes the other.
    var menus = document.querySelectorAll('.menu details');
    menus.forEach(function (menu) {
        menu.addEventListener('toggle', function () {
            if (menu.open) {
                menus.forEach(function (other) {
                    if (other !== menu) {
                        other.open = false;
                    }
                });
            }
        });
        menu.addEventListener('keydown', function (event) {
            if (event.key === 'Escape' && menu.open) {
                menu.open = false;
                menu.querySelector('summary').focus();
            }
        });
    });
    document.addEventListener('click', function (event) {
        menus.forEach(function (menu) {
            if (menu.open && !menu.contains(event.target)) {
                menu.open = false;
            }
        });
    });

    // Times in tables say "3 hours ago" with the exact time on hover; the server can only give it in UTC, so the
    // hover text is rewritten here into the reader's own time zone (and names it). Also for lists htmx swaps in.
    var timeFormat = typeof Intl === 'object' && Intl.DateTimeFormat ? new Intl.DateTimeFormat(undefined, {
        year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short'
    }) : null;

    function localizeTimes(root) {
        if (!timeFormat || !root.querySelectorAll) {
            return;
        }
        root.querySelectorAll('time.moment[datetime]').forEach(function (time) {
            var when = new Date(time.getAttribute('datetime'));
            if (!isNaN(when.getTime())) {
                time.title = timeFormat.format(when);
            }
        });
    }

    localizeTimes(document);
    document.addEventListener('htmx:afterSettle', function (event) {
        localizeTimes(event.target);
    });

    // A team picker's search field sits inside the form it helps fill in: Enter searches, it does not send the form.
    document.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' && event.target instanceof HTMLInputElement
                && event.target.classList.contains('team-search')) {
            event.preventDefault();
            if (window.htmx) {
                window.htmx.trigger(event.target, 'search');
            }
        }
    });

    // Confirmation: a form with data-confirm asks in a <dialog> first. The server asks again on a page of its own
    // when the field "confirmed" is missing, so the question is never skipped when this script does not run.
    var dialog = null;
    var pending = null;

    function confirmationDialog() {
        if (dialog) {
            return dialog;
        }
        dialog = document.createElement('dialog');
        dialog.className = 'confirm-dialog';
        dialog.setAttribute('aria-labelledby', 'confirm-dialog-title');
        dialog.setAttribute('aria-describedby', 'confirm-dialog-text');
        var form = document.createElement('form');
        form.method = 'dialog';
        var title = document.createElement('h2');
        title.id = 'confirm-dialog-title';
        var text = document.createElement('p');
        text.id = 'confirm-dialog-text';
        var actions = document.createElement('div');
        actions.className = 'actions';
        var cancel = document.createElement('button');
        cancel.type = 'submit';
        cancel.value = 'cancel';
        cancel.className = 'secondary';
        cancel.textContent = 'Cancel';
        var ok = document.createElement('button');
        ok.type = 'submit';
        ok.value = 'confirm';
        ok.className = 'confirm';
        actions.append(cancel, ok);
        form.append(title, text, actions);
        dialog.append(form);
        document.body.append(dialog);
        dialog.addEventListener('close', function () {
            var request = pending;
            pending = null;
            if (!request) {
                return;
            }
            if (dialog.returnValue === 'confirm') {
                var field = document.createElement('input');
                field.type = 'hidden';
                field.name = 'confirmed';
                field.value = 'yes';
                request.form.append(field);
                request.form.dataset.confirmed = 'yes';
                request.form.requestSubmit(request.submitter);
            }
            else if (request.submitter) {
                request.submitter.focus();
            }
        });
        return dialog;
    }

    document.addEventListener('submit', function (event) {
        var form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || form.dataset.confirmed === 'yes') {
            return;
        }
        if (typeof HTMLDialogElement !== 'function') {
            return;
        }
        event.preventDefault();
        event.stopPropagation();
        var box = confirmationDialog();
        var submitter = event.submitter || form.querySelector('button[type=submit]');
        box.querySelector('h2').textContent = form.dataset.confirmTitle || 'Are you sure?';
        box.querySelector('p').textContent = form.dataset.confirm;
        var ok = box.querySelector('button.confirm');
        ok.textContent = form.dataset.confirmButton || (submitter ? submitter.textContent.trim() : 'Confirm');
        ok.classList.toggle('danger', form.dataset.confirmDanger === 'true');
        box.returnValue = '';
        pending = {form: form, submitter: submitter};
        box.showModal();
        box.querySelector('button.secondary').focus();
    }, true);
})();
