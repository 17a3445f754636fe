// Copy buttons: shown only when this script runs and the browser offers the clipboard; without it the text stays
// selectable on the page.
document.querySelectorAll('[data-copy-target]').forEach(function (button) {
    if (!navigator.clipboard) {
        return;
    }
    var target = document.getElementById(button.getAttribute('data-copy-target'));
    var status = button.parentElement.querySelector('.copy-status');
    button.hidden = false;
    button.addEventListener('click', function () {
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
            if (status) {
                status.textContent = 'Copied.';
            }
        }, function () {
            if (status) {
                status.textContent = 'Copying failed: select the text and copy it yourself.';
            }
        });
    });
});
