'use strict';
// The writing screen (docs/newsroom.md, «Skrivebildet»): the title's character count, the live
// preview beside the body and the photo picker. A static file, as the admin's CSP allows no
// inline script; without it the form still saves as before.
{
    const PREVIEW_DELAY_MS = 400;
    const UNAVAILABLE = 'Forhåndsvisningen er ikke tilgjengelig akkurat nå. Teksten din er ikke berørt.';

    function csrfToken(form) {
        return form.elements.csrfmiddlewaretoken.value;
    }

    async function jsonFrom(response) {
        try {
            return await response.json();
        } catch {
            return {};  // a login page or a proxy's error page, not an answer
        }
    }

    function showTitleCount(input) {
        const counter = document.getElementById(input.id + '_count');
        const recommended = Number(input.dataset.recommended);
        const update = () => {
            const length = [...input.value].length;
            const over = length - recommended;
            counter.textContent = over > 0
                ? `${length} tegn, ${over} over anbefalt lengde (${recommended})`
                : `${length} av anbefalt høyst ${recommended} tegn`;
            counter.classList.toggle('writing-count--over', over > 0);
        };
        counter.hidden = false;
        input.addEventListener('input', update);
        // A headline is one line; the box only wraps it so that it is seen whole.
        input.addEventListener('keydown', (event) => {
            if (event.key === 'Enter') {
                event.preventDefault();
            }
        });
        update();
    }

    function startPreview(editor) {
        const form = editor.closest('form');
        const pane = editor.querySelector('.writing-preview');
        const status = pane.querySelector('.writing-preview__status');
        const parts = {
            title: pane.querySelector('.writing-preview__title'),
            lead: pane.querySelector('.writing-preview__lead'),
            body: pane.querySelector('.writing-preview__body'),
        };
        const typed = (name) => (form.elements[name] ? form.elements[name].value : '');
        let timer = null;
        let sent = 0;
        let shown = 0;

        async function refresh() {
            const number = ++sent;
            const data = new FormData();
            for (const name of Object.keys(parts)) {
                data.append(name, typed(name));
            }
            let answer;
            try {
                const response = await fetch(editor.dataset.previewUrl, {
                    method: 'POST',
                    body: data,
                    headers: {'X-CSRFToken': csrfToken(form), 'Accept': 'application/json'},
                    credentials: 'same-origin',
                    redirect: 'error',
                });
                answer = await jsonFrom(response);
                if (!response.ok) {
                    throw new Error(answer.error || UNAVAILABLE);
                }
            } catch (error) {
                if (number === sent) {
                    status.textContent = error instanceof TypeError ? UNAVAILABLE : error.message;
                }
                return;
            }
            if (number < shown) {
                return;  // a slower, older answer
            }
            shown = number;
            parts.title.textContent = answer.title;
            parts.lead.textContent = answer.lead;
            // Rendered and sanitised by the server exactly as the published page's body.
            parts.body.innerHTML = answer.body_html;
            status.textContent = '';
            pane.dataset.rendered = String(number);
        }

        form.addEventListener('input', (event) => {
            if (Object.keys(parts).includes(event.target.name)) {
                clearTimeout(timer);
                timer = setTimeout(refresh, PREVIEW_DELAY_MS);
            }
        });
        const toggle = editor.querySelector('.writing-preview-toggle');
        toggle.addEventListener('click', () => {
            const open = editor.classList.toggle('writing-body--preview-open');
            toggle.setAttribute('aria-expanded', String(open));
            toggle.textContent = open ? 'Skjul forhåndsvisning' : 'Vis forhåndsvisning';
        });
        editor.querySelector('.writing-body__tools').hidden = false;
        pane.hidden = false;
        refresh();
    }

    function photoPicker(dialog) {
        const results = dialog.querySelector('.photo-picker__results');
        const status = dialog.querySelector('.photo-picker__status');
        const search = dialog.querySelector('.photo-picker__search');
        const upload = dialog.querySelector('.photo-picker__upload-form');
        let chosen = null;

        function choose(photo) {
            dialog.close();
            if (chosen) {
                chosen(photo);
            }
        }

        function photoButton(photo) {
            const button = document.createElement('button');
            button.type = 'button';
            button.className = 'photo-picker__photo';
            button.dataset.photoId = photo.id;
            if (photo.thumbnail) {
                const thumbnail = document.createElement('img');
                thumbnail.src = photo.thumbnail;
                thumbnail.alt = '';
                thumbnail.loading = 'lazy';
                button.append(thumbnail);
            }
            const label = document.createElement('span');
            label.textContent = photo.label;
            button.append(label);
            if (photo.credit) {
                const credit = document.createElement('span');
                credit.className = 'photo-picker__credit';
                credit.textContent = photo.credit;
                button.append(credit);
            }
            button.addEventListener('click', () => choose(photo));
            const item = document.createElement('li');
            item.append(button);
            return item;
        }

        async function find(term) {
            status.textContent = 'Søker …';
            const url = new URL(dialog.dataset.searchUrl, window.location.href);
            if (term) {
                url.searchParams.set('q', term);
            }
            try {
                const response = await fetch(url, {credentials: 'same-origin', redirect: 'error'});
                const {photos} = await response.json();
                results.replaceChildren(...photos.map(photoButton));
                status.textContent = photos.length
                    ? (term ? `${photos.length} bilder passer «${term}».` : 'De nyeste bildene i arkivet.')
                    : 'Fant ingen bilder. Prøv et annet ord, eller last opp et nytt bilde.';
            } catch {
                status.textContent = 'Kunne ikke hente bilder akkurat nå. Prøv igjen.';
            }
        }

        function showUploadErrors(errors) {
            for (const message of upload.querySelectorAll('.photo-picker__error')) {
                message.hidden = true;
                message.textContent = '';
            }
            for (const [field, messages] of Object.entries(errors)) {
                const message = upload.querySelector(`[data-field="${field}"] .photo-picker__error`)
                    || upload.querySelector('[data-field-error="__all__"]');
                message.textContent = messages.join(' ');
                message.hidden = false;
            }
            const input = upload.querySelector('.photo-picker__error:not([hidden])');
            const field = input && input.closest('[data-field]');
            if (field) {
                field.querySelector('input, textarea').focus();
            }
        }

        search.addEventListener('submit', (event) => {
            event.preventDefault();
            find(search.elements.q.value.trim());
        });
        dialog.querySelector('.photo-picker__close').addEventListener('click', () => dialog.close());
        if (upload) {
            upload.addEventListener('submit', async (event) => {
                event.preventDefault();
                const button = upload.querySelector('[type=submit]');
                button.disabled = true;
                try {
                    const response = await fetch(upload.action, {
                        method: 'POST',
                        body: new FormData(upload),
                        headers: {'X-CSRFToken': csrfToken(upload), 'Accept': 'application/json'},
                        credentials: 'same-origin',
                        redirect: 'error',
                    });
                    const answer = await jsonFrom(response);
                    if (response.status === 201) {
                        showUploadErrors({});
                        upload.reset();
                        choose(answer.photo);
                    } else {
                        showUploadErrors(answer.errors || {__all__: ['Bildet ble ikke lastet opp. Prøv igjen, eller last det opp under Bilder.']});
                    }
                } catch {
                    showUploadErrors({__all__: ['Bildet ble ikke lastet opp: fikk ikke kontakt med serveren. Prøv igjen.']});
                } finally {
                    button.disabled = false;
                }
            });
        }

        return {
            open(onChosen) {
                chosen = onChosen;
                dialog.showModal();
                search.elements.q.focus();
                find(search.elements.q.value.trim());
            },
        };
    }

    function showLeadPhoto(current, photo) {
        const caption = document.createElement('p');
        caption.className = 'photo-field__caption';
        caption.textContent = photo ? (photo.caption || photo.alt_text) : 'Ingen bilde valgt.';
        if (photo && photo.credit) {
            const credit = document.createElement('span');
            credit.className = 'photo-field__credit';
            credit.textContent = ' ' + photo.credit;
            caption.append(credit);
        }
        const parts = [caption];
        if (photo && photo.thumbnail) {
            const thumbnail = document.createElement('img');
            thumbnail.src = photo.thumbnail;
            thumbnail.alt = photo.alt_text;
            thumbnail.width = 160;
            parts.unshift(thumbnail);
        }
        current.replaceChildren(...parts);
        current.dataset.photoId = photo ? String(photo.id) : '';
    }

    function bindLeadPhoto(button, picker, searchUrl) {
        const select = document.getElementById(button.dataset.photoTarget);
        const current = document.getElementById(select.id + '_current');
        current.dataset.photoId = select.value;

        async function follow() {
            if (select.value === current.dataset.photoId) {
                return;
            }
            if (!select.value) {
                showLeadPhoto(current, null);
                return;
            }
            const url = new URL(searchUrl, window.location.href);
            url.searchParams.set('id', select.value);
            try {
                const response = await fetch(url, {credentials: 'same-origin', redirect: 'error'});
                const {photos} = await response.json();
                showLeadPhoto(current, photos[0] || null);
            } catch {
                current.dataset.photoId = '';
            }
        }

        // Select2 announces a choice through jQuery's events, which addEventListener never sees.
        if (window.django && window.django.jQuery) {
            window.django.jQuery(select).on('change', follow);
        } else {
            select.addEventListener('change', follow);
        }
        button.hidden = false;
        button.addEventListener('click', () => picker.open((photo) => {
            const value = String(photo.id);
            if (![...select.options].some((option) => option.value === value)) {
                select.append(new Option(photo.label, value));
            }
            select.value = value;
            showLeadPhoto(current, photo);
            if (window.django && window.django.jQuery) {
                window.django.jQuery(select).trigger('change');
            }
        }));
    }

    function insertPhotoIntoBody(textarea, photo) {
        const line = `![${photo.alt_text.replace(/[[\]\\]/g, '')}](bilde:${photo.id})`;
        const before = textarea.value.slice(0, textarea.selectionStart).trimEnd();
        const after = textarea.value.slice(textarea.selectionEnd).trimStart();
        const start = before ? before + '\n\n' : '';
        textarea.value = start + line + (after ? '\n\n' + after : '\n');
        textarea.focus();
        textarea.selectionStart = textarea.selectionEnd = start.length + line.length;
        textarea.dispatchEvent(new Event('input', {bubbles: true}));
    }

    // Django's tabular inlines leave two column headings empty: over the saved row's name,
    // and over the delete boxes when rows cannot be deleted.
    function nameEmptyColumnHeadings() {
        for (const heading of document.querySelectorAll('.inline-group thead th:empty')) {
            const name = document.createElement('span');
            name.className = 'writing-visually-hidden';
            name.textContent = heading.classList.contains('original') ? 'Lagret' : 'Kan ikke slettes';
            heading.append(name);
        }
    }

    // Select2 gives its text box no name of its own until something is chosen: it is named
    // after the field's label (or, in a table row, the select's aria-label).
    function nameSelect2Boxes() {
        for (const box of document.querySelectorAll('.select2-selection__rendered[role=textbox]:not([aria-label])')) {
            const container = box.closest('.select2-container');
            const select = container && container.previousElementSibling;
            if (!select || select.tagName !== 'SELECT') {
                continue;
            }
            const label = select.labels && select.labels[0];
            const name = label ? label.textContent.trim().replace(/:$/, '') : select.getAttribute('aria-label');
            if (name) {
                box.setAttribute('aria-label', name);
            }
        }
    }

    document.addEventListener('DOMContentLoaded', () => {
        nameEmptyColumnHeadings();
        const form = document.getElementById('article_form');
        if (form) {
            nameSelect2Boxes();
            new MutationObserver(nameSelect2Boxes).observe(form, {childList: true, subtree: true});
        }
        const title = document.querySelector('.writing-title[data-recommended]');
        if (title) {
            showTitleCount(title);
        }
        const editor = document.querySelector('.writing-body[data-preview-url]');
        if (editor) {
            startPreview(editor);
        }
        const dialog = document.getElementById('photo-picker');
        if (!dialog || typeof dialog.showModal !== 'function') {
            return;
        }
        const picker = photoPicker(dialog);
        for (const button of document.querySelectorAll('.photo-field__open')) {
            bindLeadPhoto(button, picker, dialog.dataset.searchUrl);
        }
        for (const button of document.querySelectorAll('.writing-insert-photo')) {
            const textarea = document.getElementById(button.dataset.photoTarget);
            button.addEventListener('click', () => picker.open((photo) => insertPhotoIntoBody(textarea, photo)));
        }
    });
}
