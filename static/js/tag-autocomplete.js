'use strict';
// Tag picker for the article admin: Select2 (shipped with Django's admin) in "tags" mode.
{
    const $ = django.jQuery;
    $(function() {
        $('select.newsroom-tag-autocomplete').each(function() {
            $(this).select2({
                tags: true,
                tokenSeparators: [','],
                width: '100%',
                language: this.getAttribute('lang') || undefined,
                placeholder: this.dataset.placeholder,
                ajax: {
                    url: this.dataset.autocompleteUrl,
                    dataType: 'json',
                    delay: 200,
                    data: (params) => ({term: params.term || ''})
                }
            });
        });
    });
}
