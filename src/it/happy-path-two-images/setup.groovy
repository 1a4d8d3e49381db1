import io.github.amimaven.testing.it.EndpointAdmin

def admin = EndpointAdmin.of(endpointUrl, 'it-happy-path').standard()
admin.seedImage('ap-southeast-2', 'CentOS Linux 7 x86_64 HVM EBS 1901_01', '679593333241', '2019-01-30T10:00:00.000Z')
def newest = admin.seedImage('ap-southeast-2', 'CentOS Linux 7 x86_64 HVM EBS 2002_01', '679593333241', '2020-03-09T10:00:00.000Z')
admin.seedImage('ap-southeast-2', 'Ubuntu 22.04', '099720109477', '2024-01-01T10:00:00.000Z')
new File(basedir, 'expected-source.txt').text = newest
true
