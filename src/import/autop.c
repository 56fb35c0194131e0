/* placeholder: written with issue 3 */
typedef int sheaf_placeholder_autop;
