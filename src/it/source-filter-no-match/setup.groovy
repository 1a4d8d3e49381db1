import io.github.amimaven.testing.it.EndpointAdmin
def admin = EndpointAdmin.of(endpointUrl, 'it-no-match').standard()
admin.seedImage('ap-southeast-2', 'CentOS Linux 7 x86_64 HVM EBS 2002_01', '679593333241', '2020-03-09T10:00:00.000Z')
true
