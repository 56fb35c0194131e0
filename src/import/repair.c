/* placeholder: repairs of broken XML (issue 4) */
typedef int sheaf_placeholder_repair;
