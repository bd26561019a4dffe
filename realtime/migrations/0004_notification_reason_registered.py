# Notification reasons are registered by the domain apps (notifications.register_reason), not
# fixed choices in realtime. Existing rows keep their values.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("realtime", "0003_activity_actor_org"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="reason",
            field=models.CharField(max_length=40),
        ),
    ]
